# Answers with the CGI part of its env, one "KEY=value" a line, for tests of what each protocol front passes on;
# /echo answers with the body; /stream answers without a Content-Length, in three writes.
use strict;
use warnings;

my $app = sub {
    my $env = shift;
    if ($env->{PATH_INFO} =~ m{/echo$}) {
        my $body = '';
        $env->{'psgi.input'}->read($body, $env->{CONTENT_LENGTH} // 0);
        return [200, ['Content-Type' => 'application/octet-stream', 'Content-Length' => length $body], [$body]];
    }
    if ($env->{PATH_INFO} =~ m{/stream$}) {
        return sub {
            my $writer = shift->([200, ['Content-Type' => 'text/plain']]);
            $writer->write("part $_\n") for 1 .. 3;
            $writer->close;
        };
    }
    my @keys = qw(REQUEST_METHOD PATH_INFO QUERY_STRING REQUEST_URI SERVER_NAME SERVER_PORT SERVER_PROTOCOL
                  REMOTE_ADDR CONTENT_LENGTH CONTENT_TYPE HTTP_HOST HTTP_X_TEST psgi.url_scheme);
    my $text = join '', map { "$_=" . ($env->{$_} // '<none>') . "\n" } @keys;
    return [200, ['Content-Type' => 'text/plain', 'X-Served-By' => 'forkserver'], [$text]];
};
