# For the worker lifecycle tests: says which process serves and which one loaded it, sleeps on /sleep?s=N (a
# request that gets stuck), and on /grow?mb=N keeps N more MB of touched memory for the worker's whole life.
use strict;
use warnings;

my $loaded_in = $$;
my @kept;
my $app = sub {
    my $env = shift;
    my ($n) = ($env->{QUERY_STRING} // '') =~ /=(\d+)/;
    if ($env->{PATH_INFO} eq '/sleep') {
        sleep($n // 600);
    }
    if ($env->{PATH_INFO} eq '/grow') {
        push @kept, 'x' x (($n // 1) * 1024 * 1024);
    }
    return [200, ['Content-Type' => 'text/plain'], ["pid=$$\nloaded_in=$loaded_in\n"]];
};
