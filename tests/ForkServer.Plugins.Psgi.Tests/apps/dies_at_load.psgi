die "refusing to load\n";
sub { [200, [], []] };
