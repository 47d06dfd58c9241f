# Starts processes the way applications do (AppChildrenTests): fork and exit, a child left running, system(),
# backticks. Each answer is plain text.
use strict;
use warnings;
use Time::HiRes ();

sub {
    my $env = shift;
    my $path = $env->{PATH_INFO};
    if ($path eq '/fork-exit') {
        # The child exits at once; the parent waits for it.
        my $pid = fork // die "fork: $!";
        if (!$pid) { exit 0 }
        waitpid($pid, 0);
        return [200, [], ["ok"]];
    }
    if ($path eq '/fork-sleep-exit') {
        # The child outlives the response by a second, then exits; its pid is the answer.
        my $pid = fork // die "fork: $!";
        if (!$pid) { sleep 1; exit 0 }
        return [200, [], [$pid]];
    }
    if ($path eq '/reap') {
        1 while waitpid(-1, 1) > 0;
        return [200, [], ["reaped"]];
    }
    if ($path eq '/fork-daemon') {
        # A child that lives on (a daemon the application starts) and never calls exit.
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            # As daemons do, it lets go of the vassal's output, which the tests read to its end.
            open STDIN, '<', '/dev/null';
            open STDOUT, '>', '/dev/null';
            open STDERR, '>', '/dev/null';
            sleep 300 while 1;
        }
        return [200, [], [$pid]];
    }
    if ($path eq '/system-daemon') {
        system("sleep 300 </dev/null >/dev/null 2>&1 &") == 0 or die "system: $?";
        return [200, [], ["started"]];
    }
    if ($path eq '/backticks-status') {
        my $status = `cat /proc/self/status`;
        return [200, [], [join "\n", grep { /^Sig(Blk|Ign):/ } split /\n/, $status]];
    }
    if ($path eq '/system-timeout') {
        my $start = Time::HiRes::time();
        system("timeout", "1", "sleep", "5");
        return [200, [], [sprintf("%.3f", Time::HiRes::time() - $start)]];
    }
    return [200, [], ["pid $$"]];
};
