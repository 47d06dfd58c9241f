# For the worker-fairness tests: /sleep?S sleeps S seconds (fractions allowed) before answering, /big?N answers a
# body of N bytes; every answer starts with "pid=<the worker's pid>".
use strict;
use warnings;
use Time::HiRes ();

my $app = sub {
    my $env = shift;
    my $query = $env->{QUERY_STRING} // '';
    if ($env->{PATH_INFO} eq '/sleep') {
        Time::HiRes::sleep($query =~ /^([0-9.]+)$/ ? $1 : 1);
    }
    my $body = "pid=$$\n";
    if ($env->{PATH_INFO} eq '/big') {
        my ($n) = $query =~ /^(\d+)$/;
        $body .= 'x' x (($n // 0) - length $body) if ($n // 0) > length $body;
    }
    return [200, ['Content-Type' => 'text/plain', 'Content-Length' => length $body], [$body]];
};
