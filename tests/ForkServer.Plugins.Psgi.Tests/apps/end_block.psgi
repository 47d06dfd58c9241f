END { warn "END block ran\n" }
sub { [200, [], ['end']] };
