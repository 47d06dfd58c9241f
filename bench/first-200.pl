# Times vassal start-up from the client's side: renames each SRC to DST (an ini into the watched folder), then
# polls each PORT until it answers HTTP 200, and prints the milliseconds from the first rename to the last 200.
# Usage: perl bench/first-200.pl PORT SRC DST [PORT SRC DST ...]
#
# One process does the renames and the polling, with a connection attempt every 0.5 ms (0.1 ms per pending port
# when many are polled): spawning a curl per attempt (as wait_200 does) costs a few milliseconds of its own per
# try, too coarse for a 10 ms bar. A refused connect on loopback returns at once; once the master has bound its
# port the connect succeeds, and the status line arrives when a worker has served the request.
use strict;
use warnings;
use IO::Socket::INET;
use List::Util ();
use Time::HiRes qw(sleep time);

@ARGV && @ARGV % 3 == 0 or die "usage: $0 PORT SRC DST [PORT SRC DST ...]\n";
my @vassals;
push @vassals, [splice(@ARGV, 0, 3)] while @ARGV;

# Another program on one of the ports would answer for the vassal (engineers share this machine).
for my $vassal (@vassals) {
    my $busy = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$vassal->[0]", Proto => 'tcp');
    die "port $vassal->[0] already accepts connections before its vassal exists\n" if $busy;
}

my $start = time;
for my $vassal (@vassals) {
    rename $vassal->[1], $vassal->[2] or die "rename $vassal->[1] -> $vassal->[2]: $!\n";
}

my %pending = map { $_->[0] => 1 } @vassals;
my $deadline = $start + 300;
while (%pending) {
    for my $port (sort { $a <=> $b } keys %pending) {
        my $socket = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port", Proto => 'tcp') or next;
        print $socket "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        my $status = <$socket> // '';
        delete $pending{$port} if $status =~ m{^HTTP/1\.[01] 200 };
    }
    die sprintf("no 200 within 300 s from port(s) %s\n", join(' ', sort keys %pending)) if time > $deadline;
    # 0.1 ms per port still pending, at least 0.5 ms: a sweep of a hundred refused connects costs over a millisecond
    # of CPU, and polling them back to back would take a core from the vassals being waited for.
    sleep(List::Util::max(0.0005, 0.0001 * keys %pending)) if %pending;
}
printf "%.1f\n", (time - $start) * 1000;
