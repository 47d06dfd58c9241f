die "the database is not there\n";
