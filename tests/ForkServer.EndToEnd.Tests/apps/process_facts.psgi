# Answers with what the worker's process sees: its working directory, ids and the environment variables the process
# options tests set (env:NAME=value); each request also writes a marked line to STDERR (with logto, it must land in
# the log file).
use strict;
use warnings;
use Cwd ();

my $app = sub {
    my $env = shift;
    my ($marker) = ($env->{QUERY_STRING} // '') =~ /marker=(\w+)/;
    print STDERR "stderr marker $marker from $$\n" if defined $marker;
    my $text = join "\n",
        "pid=$$",
        "cwd=" . (Cwd::getcwd() // 'unknown'),
        "uid=$<",
        "euid=$>",
        "gid=" . (split ' ', $()[0],
        "egid=" . (split ' ', $))[0],
        map { "env:$_=" . ($ENV{$_} // '(unset)') } qw(PLACK_ENV FS_SET FS_DROP);
    return [200, ['Content-Type' => 'text/plain'], [$text]];
};
