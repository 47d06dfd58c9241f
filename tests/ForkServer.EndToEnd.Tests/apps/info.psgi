# Answers with facts about the worker that served the request, and sleeps on /slow?ms=N.
use strict;
use warnings;
use Time::HiRes ();

my $loaded_in = $$;
my $app = sub {
    my $env = shift;
    if ($env->{PATH_INFO} eq '/slow') {
        my ($ms) = ($env->{QUERY_STRING} // '') =~ /ms=(\d+)/;
        print STDERR "slow request started\n";
        Time::HiRes::sleep(($ms // 1000) / 1000);
    }
    if ($env->{PATH_INFO} eq '/echo') {
        my $body = '';
        $env->{'psgi.input'}->read($body, $env->{CONTENT_LENGTH} // 0);
        return [200, ['Content-Type' => 'application/octet-stream'], [$body]];
    }
    my $text = join "\n",
        "pid=$$",
        "loaded_in=$loaded_in",
        "rand=" . int(rand(1_000_000_000)),
        "uid=$<",
        "euid=$>",
        "path=$env->{PATH_INFO}";
    return [200, ['Content-Type' => 'text/plain'], [$text]];
};
