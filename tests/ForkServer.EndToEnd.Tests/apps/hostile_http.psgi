# Misbehaves on request, for the tests of hostile clients and careless apps (Reliability/HttpGapsTests.cs,
# Reliability/RequestBodyMemoryTests.cs).
use strict;
use warnings;
use Digest::MD5 ();

my %routes = (
    '/env' => sub {
        my $env = shift;
        my @keys = qw(PATH_INFO REQUEST_URI HTTP_HOST HTTP_X_FORWARDED_FOR);
        return [200, ['Content-Type' => 'text/plain'], [join "\n", map { "$_=" . ($env->{$_} // '(none)') } @keys]];
    },
    '/pid' => sub { [200, ['Content-Type' => 'text/plain'], [$$]] },
    '/status' => sub { [$_[0]{QUERY_STRING}, ['Content-Type' => 'text/plain'], ['sent as final']] },
    '/te-array' => sub { [200, ['Transfer-Encoding' => 'chunked'], ['hello', 'world']] },
    '/te-stream' => sub {
        return sub {
            my $w = $_[0]->([200, ['Transfer-Encoding' => 'chunked']]);
            $w->write('hello');
            $w->write('world');
            $w->close;
        };
    },
    '/nul' => sub { [200, ['X-Bad' => "a\0b"], ['x']] },
    '/vt' => sub { [200, ['X-Bad' => "a\x0bb"], ['x']] },
    '/undef' => sub { [200, ['Content-Type' => 'text/plain'], undef] },
    '/stream-bad-header' => sub {
        return sub {
            my $w = $_[0]->([200, ['X-Bad' => "a\0b"]]);
            $w->write('x');
            $w->close;
        };
    },
    # Reads psgi.input to the end, then rewinds and reads it again: answers its length, MD5 and whether the two agree.
    '/body' => sub {
        my $input = $_[0]{'psgi.input'};
        my ($md5, $length, $chunk) = (Digest::MD5->new, 0, '');
        while ((my $n = $input->read($chunk, 65536)) > 0) { $md5->add($chunk); $length += $n }
        $input->seek(0, 0);
        my ($again, $total) = (Digest::MD5->new, 0);
        while ((my $n = $input->read($chunk, 65536)) > 0) { $again->add($chunk); $total += $n }
        my $digest = $md5->hexdigest;
        my $reread = $total == $length && $again->hexdigest eq $digest ? 'same' : 'different';
        return [200, ['Content-Type' => 'text/plain'], ["length=$length md5=$digest reread=$reread"]];
    },
);

my $app = sub {
    my $env = shift;
    my $route = $routes{$env->{PATH_INFO}} or return [404, ['Content-Type' => 'text/plain'], ['no such route']];
    return $route->($env);
};
