# The smallest PSGI app: a code reference that returns [status, headers, body].
my $app = sub {
    my $env = shift;
    return [200, ['Content-Type' => 'text/plain'], ["Hello World from worker $$\n"]];
};
