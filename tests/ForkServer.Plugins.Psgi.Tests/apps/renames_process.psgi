$0 = 'renamed-by-app';
sub { [200, [], [$0]] };
