# One application for the whole test collection; the X-Action header picks the behaviour so that the
# path stays free for PATH_INFO tests.
use strict;
use warnings;
use POSIX ();
use List::Util ();
use JSON::XS ();
use JSON::PP ();
use TestLib ();

package Test::LineBody {
    sub new { my ($class, @lines) = @_; bless { lines => [@lines] }, $class }
    sub getline { shift @{ $_[0]{lines} } }
    sub close { $Test::LineBody::closed++ }
}

my %actions = (
    hello => sub { [200, ['Content-Type' => 'text/plain'], ['Hello World']] },
    env => sub {
        my $env = shift;
        my %shown = map {
            my $v = $env->{$_};
            ($_ => ref $v eq 'ARRAY' ? join('.', @$v) : ref $v ? 'REF:' . ref($v) : "$v")
        } keys %$env;
        $shown{'psgi.input.can_seek'} = seek($env->{'psgi.input'}, 0, 0) ? '1' : '0';
        $shown{'psgi.errors.can_print'} = $env->{'psgi.errors'}->can('print') ? '1' : '0';
        [200, ['Content-Type' => 'application/json'], [JSON::PP->new->ascii->canonical->encode(\%shown)]];
    },
    path_info => sub { [200, [], [$_[0]{PATH_INFO}]] },
    echo => sub {
        my $in = $_[0]{'psgi.input'};
        my ($chunk, $all) = ('', '');
        while (my $n = $in->read($chunk, 7)) { $all .= $chunk }
        [200, ['Content-Type' => 'application/octet-stream'], [$all]];
    },
    seek => sub {
        my $in = $_[0]{'psgi.input'};
        $in->read(my $first, 4);
        $in->seek(0, 0);
        local $/;
        my $all = <$in>;
        [200, [], ["$first|$all"]];
    },
    binary => sub { [200, ['Content-Type' => 'application/octet-stream'], [join('', map { chr } 0 .. 255)]] },
    array => sub { [200, ['X-Kind' => 'array'], ['one ', 'two ', 'three']] },
    filehandle => sub {
        my $data = join('', map { chr } 0 .. 255) . "\nsecond line\n";
        open my $fh, '<', \$data or die;
        [200, ['X-Kind' => 'filehandle'], $fh];
    },
    object => sub { [200, ['X-Kind' => 'object'], Test::LineBody->new("a\n", "b\n", "c")] },
    object_closed => sub { [200, [], [$Test::LineBody::closed // 0]] },
    delayed => sub { sub { $_[0]->([201, ['X-Kind' => 'delayed'], ['delayed body']]) } },
    streaming => sub {
        sub {
            my $writer = $_[0]->([200, ['X-Kind' => 'streaming']]);
            $writer->write("first|");
            $writer->write("\x00\xff|");
            $writer->write("last");
            $writer->close;
        }
    },
    die => sub { die "boom from the app\n" },
    die_streaming => sub { sub { my $w = $_[0]->([200, []]); $w->write("partial"); die "died mid-stream\n" } },
    exit => sub { exit(3) },
    xs => sub {
        my $json = JSON::XS->new->canonical->encode({ floor => POSIX::floor(3.7), sum => List::Util::sum(1 .. 10) });
        [200, ['Content-Type' => 'application/json'], [$json]];
    },
    errors => sub {
        $_[0]{'psgi.errors'}->print("hello from psgi.errors\n");
        warn "a warning\n";
        [200, [], ['logged']];
    },
    wide => sub { [200, ['X-Wide' => "caf\x{e9}"], ["caf\x{e9} \x{263a}"]] },
    testlib => sub { [200, [], [TestLib::greeting()]] },
    pid => sub { [200, [], [$$]] },
    no_content => sub { [204, [], []] },
);

sub {
    my $env = shift;
    my $action = $actions{ $env->{HTTP_X_ACTION} // 'hello' }
        or return [404, ['Content-Type' => 'text/plain'], ['no such action']];
    return $action->($env);
};
