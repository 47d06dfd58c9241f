package ForkServer::Psgi;
# Glue between ForkServer (.NET, pure P/Invoke into libperl) and PSGI applications.
#
# The host cannot use Perl's argument stack (PUSHMARK needs interpreter internals), so every exchange goes
# through package scalars, and the host only ever calls argument-less subs with call_argv.
#
#   host -> perl, set before a call:
#     $app_path        file to compile                                  (load_app)
#     $app_id          which loaded application serves the request      (handle)
#     $req_env         join("\0", k1, v1, k2, v2, ...)   when $req_env_packed is false (no NUL anywhere)
#                      pack('(V/a*)*', k1, v1, ...)       when $req_env_packed is true
#     $req_body        the whole request body, bytes, when it is in memory
#     $req_body_fd     else the descriptor of the (unlinked) file holding it, -1 when there is none
#
#   perl -> host, read after the call returns:
#     $loaded_id       id of the application load_app compiled, 0 when it failed ($error says why)
#     $res_mode        0: buffered response in $res_status, $res_headers (pack '(V/a*)*'), $res_body
#                      1: response was streamed through $out_head/$out_chunk
#                      2: streaming failed after the head was sent: the host must abort the connection
#
#   perl -> host during the call: the host puts '~' magic with a set callback on these, so an assignment
#   calls into .NET synchronously:
#     $out_head        pack('V(V/a*)*', status, headers)
#     $out_chunk       one body chunk
#     $out_log         one line for psgi.errors, warn() and glue errors
#     $out_signals     1: unblock the worker's signals while the application runs, 0: block them again
#     $out_exit        exit status: flush every handle and _exit (a process the application forked)
#   and a callback sets $abort when the client went away.
#
# A process the application forks (fork, or open with "-|" and no command) is a copy of the worker that must never
# return into the host: $host_pid is the process the host calls in from, and any other $$ is such a child. Its
# exit() exits, and returning from the application ends it too.
use strict;
use warnings;
no warnings 'once';

our ($app_path, $app_id, $loaded_id, $error);
our ($req_env, $req_env_packed, $req_body);
our $req_body_fd = -1;
our ($res_mode, $res_status, $res_headers, $res_body);
our ($out_head, $out_chunk, $out_log, $out_signals, $out_exit);
our $host_pid = $$;
our $abort = 0;
our $request_serial = 0;
our $allow_exit = 0;
our $errors = bless {}, 'ForkServer::Psgi::Errors';
my %apps;
my $next_app_id = 0;
my %ended;

# The worker's signals the glue catches while the application runs, and raises again once they are blocked
# (Internal/ApplicationSignals.cs). SIGCHLD is unblocked too but needs no handler.
my @deferred_signals = qw(HUP INT QUIT USR1 USR2 TERM);
my @caught_signals;

# exit() in an app would unwind through the host's C frames and end the worker process. As mod_perl does,
# turn it into an exception for everything compiled after this point (the applications). In a process the
# application forked, exit() exits, as in any Perl program.
BEGIN {
    *CORE::GLOBAL::exit = sub (;$) {
        _exit_child(@_ ? $_[0] // 0 : 0) if $$ != $host_pid;
        CORE::exit(@_ ? $_[0] : 0) if $allow_exit;
        die 'exit(' . (@_ ? $_[0] // '' : '') . ") called inside a PSGI application\n";
    };
}

$SIG{__WARN__} = sub { _log(@_) };

# The host reads raw bytes: a character string is downgraded when it can be, else sent as UTF-8.
sub _bytes {
    my $s = $_[0];
    $s = '' unless defined $s;
    if (utf8::is_utf8($s) && !utf8::downgrade($s, 1)) {
        _log("Wide character in response, sent as UTF-8\n");
        utf8::encode($s);
    }
    return "$s";
}

sub _log {
    my $msg = join '', map { defined $_ ? "$_" : '' } @_;
    utf8::encode($msg) if utf8::is_utf8($msg);
    # A child the application forked writes to its stderr (the vassal's log) itself: it runs no host code.
    if ($$ != $host_pid) { print STDERR $msg; return }
    $out_log = $msg;
}

# The end of a process the application forked, as a Perl program's child ends on exit: its END blocks run, then
# every handle is flushed and it exits (_exit, by the host). Global destruction is skipped: objects it shares with
# the worker, such as a database handle's socket, must not be torn down under it.
sub _exit_child {
    my ($status) = @_;
    _run_end_blocks();
    $out_exit = $status;
}

# A child the application forked came back from the application (or from loading it) instead of calling exit:
# it would run the worker's code, so it ends here.
sub _child_returned {
    my ($from) = @_;
    _log("process $$, forked by the PSGI application, returned from $from instead of calling exit; it exits\n");
    _exit_child(0);
}

sub _defer_signal {
    my ($name) = @_;
    # A child the application forked that set this handler again: die of the signal, as by default.
    if ($$ != $host_pid) { $SIG{$name} = 'DEFAULT'; kill $name, $$; return }
    push @caught_signals, $name;
}

# Called once blocked again: kill runs the handlers of signals Perl caught but has not dispatched yet, then each
# caught signal is raised again, to wait for the worker's signalfd.
sub _redeliver_signals {
    kill 0, $$;
    kill $_, $$ for splice @caught_signals;
}

sub enter_worker {
    $host_pid = $$;
    $SIG{$_} = \&_defer_signal for @deferred_signals;
}

sub load_app {
    $host_pid = $$;
    $error = '';
    $loaded_id = 0;
    require File::Spec;
    my $file = File::Spec->rel2abs($app_path);
    # As Plack::Util::load_psgi: a private package per file, and $0 naming the app so FindBin works.
    (my $pkg = $file) =~ s/([^A-Za-z0-9_])/sprintf("_%2x", unpack("C", $1))/eg;
    my $code = "package ForkServer::Psgi::Sandbox::$pkg;\n"
             . 'local $0 = $file; my $r = do $file; die $@ if $@; '
             . 'die "cannot read $file: $!\n" unless defined $r; $r';
    my $r = eval $code;
    _child_returned("loading $file") if $$ != $host_pid;
    if ($@) { $error = "$@"; return }
    if (ref $r ne 'CODE') {
        $error = "$file did not return a CODE reference (it returned "
               . (ref $r ? ref($r) . ' reference' : defined $r ? "'$r'" : 'undef') . ")\n";
        return;
    }
    $apps{++$next_app_id} = $r;
    $loaded_id = $next_app_id;
}

sub _error_500 {
    my ($what) = @_;
    _log("PSGI application error: $what");
    $res_mode    = 0;
    $res_status  = 500;
    $res_headers = pack('(V/a*)*', 'Content-Type', 'text/plain', 'Content-Length', 21);
    $res_body    = 'Internal Server Error';
}

my $empty_body = '';
# Opened now, in the process that loads the app: PerlIO::scalar is then loaded once and shared by every forked
# worker, instead of being read from disk and compiled by each one on its first request.
open my $empty_input, '<:raw', \$empty_body or die "cannot open psgi.input: $!";

sub _input {
    if ($req_body_fd >= 0) {
        # A body above post-buffering, spooled by the host: a handle of its own on the file, which stays readable
        # as long as the app keeps the handle.
        open my $input, '<&', $req_body_fd or die "cannot open psgi.input on fd $req_body_fd: $!";
        binmode $input;
        seek($input, 0, 0) or die "cannot rewind psgi.input: $!";
        return $input;
    }
    if (length $req_body) {
        my $body = $req_body;
        open my $input, '<:raw', \$body or die "cannot open psgi.input: $!";
        return $input;
    }
    # Most requests have no body: one shared empty handle saves an open per request.
    open $empty_input, '<:raw', \$empty_body unless $empty_input && defined fileno($empty_input);
    seek($empty_input, 0, 0);
    return $empty_input;
}

sub handle {
    $host_pid = $$;
    $out_signals = 1;
    _handle();
    _child_returned('the application') if $$ != $host_pid;
    $out_signals = 0;
    _redeliver_signals();
}

sub _handle {
    $res_mode = 0;
    $abort = 0;
    my $serial = ++$request_serial;
    my $app = $apps{$app_id} or do { _error_500("no application with id $app_id\n"); return };
    my %env = $req_env_packed ? unpack('(V/a*)*', $req_env) : split(/\0/, $req_env, -1);
    $env{'psgi.version'}         = [1, 1];
    $env{'psgi.input'}           = _input();
    $env{'psgi.errors'}          = $errors;
    $env{'psgi.multithread'}     = '';
    $env{'psgi.multiprocess'}    = 1;
    $env{'psgi.run_once'}        = '';
    $env{'psgi.nonblocking'}     = '';
    $env{'psgi.streaming'}       = 1;
    $env{'psgix.input.buffered'} = 1;

    my $res = eval { $app->(\%env) };
    if ($@ && $$ != $host_pid) { _log("PSGI application error in process $$, which it forked: $@"); _exit_child(255) }
    if ($@) { _error_500($@); return }

    # The common case, [status, [headers], [body]] of byte strings, skips the per-element copies.
    if (ref $res eq 'ARRAY' && @$res == 3 && ref $res->[1] eq 'ARRAY' && ref $res->[2] eq 'ARRAY'
        && defined $res->[0] && $res->[0] =~ /^[1-9][0-9][0-9]\z/) {
        my $body = @{ $res->[2] } == 1 ? $res->[2][0] : join('', map { $_ // '' } @{ $res->[2] });
        $body = '' unless defined $body;
        if (!utf8::is_utf8($body) && !grep { !defined || utf8::is_utf8($_) } @{ $res->[1] }) {
            $res_status  = $res->[0];
            $res_headers = pack('(V/a*)*', @{ $res->[1] });
            $res_body    = $body;
            return;
        }
    }
    return if eval { _respond($res, $serial); 1 };
    my $e = $@ || "unknown error\n";
    if ($res_mode == 1) { _log("PSGI application error after the response head was sent: $e"); $res_mode = 2 }
    else { _error_500($e) }
}

sub _check_head {
    my ($r) = @_;
    die "response is not an ARRAY reference\n" unless ref $r eq 'ARRAY';
    die "status must be a number from 100 to 999\n" unless defined $r->[0] && $r->[0] =~ /^[1-9][0-9][0-9]\z/;
    die "headers must be an ARRAY reference\n" unless ref $r->[1] eq 'ARRAY';
}

sub _respond {
    my ($res, $serial) = @_;
    if (ref $res eq 'ARRAY') {
        _check_head($res);
        my $body = $res->[2];
        if (ref $body eq 'ARRAY') {
            $res_status  = $res->[0];
            $res_headers = pack('(V/a*)*', map { _bytes($_) } @{ $res->[1] });
            $res_body    = join('', map { _bytes($_) } @$body);
            return;
        }
        # Checked before the head goes out, so that the client gets a 500 rather than a head and nothing.
        die 'response body must be an ARRAY reference or a filehandle, not ' . (defined $body ? "a plain scalar\n" : "undef\n")
            unless ref $body;
        _send_head($res);
        _stream_body($body);
        return;
    }
    die "response is neither an ARRAY nor a CODE reference\n" unless ref $res eq 'CODE';
    my ($responded, $writer) = (0);
    $res->(sub {
        my ($r) = @_;
        die "the responder was called twice\n" if $responded++;
        _check_head($r);
        _send_head($r);
        if (@$r >= 3 && defined $r->[2]) { _stream_body($r->[2]); return }
        return $writer = ForkServer::Psgi::Writer->new($serial);
    });
    die "delayed response: the responder was never called (psgi.nonblocking is false)\n" unless $responded;
    if ($writer && !$writer->{closed}) {
        _log("PSGI writer not closed when the application returned; closed it\n");
        $writer->{closed} = 1;
    }
}

sub _send_head {
    my ($r) = @_;
    die "a process the application forked cannot send the response\n" if $$ != $host_pid;
    $res_mode = 1;
    $out_head = pack('V(V/a*)*', $r->[0], map { _bytes($_) } @{ $r->[1] });
}

sub _stream_body {
    my ($body) = @_;
    if (ref $body eq 'ARRAY') {
        for (@$body) { last if $abort; my $c = _bytes($_); $out_chunk = $c if length $c }
        return;
    }
    # A filehandle or an IO::Handle-like object: getline until undef, then close (as Plack::Util::foreach).
    local $/ = \65536 unless ref $/;
    my $ok = eval {
        while (defined(my $line = $body->getline)) {
            last if $abort;
            my $c = _bytes($line);
            $out_chunk = $c if length $c;
        }
        1;
    };
    my $e = $@;
    eval { $body->close };
    die $e unless $ok;
}

sub pre_fork { $host_pid = $$; STDOUT->flush; STDERR->flush }

# $$ needs no help: since 5.16 its magic calls getpid() on every read. rand() must not repeat the parent's.
# The arguments are the process's environment (NAME=value each): an adopted vassal's env/unenv options changed it
# after the base built %ENV, which perl does not read again, so %ENV is brought in line (only what differs).
sub post_fork {
    $host_pid = $$;
    srand();
    my %now = map { split /=/, $_, 2 } @_;
    for (keys %ENV) { delete $ENV{$_} unless exists $now{$_} }
    while (my ($name, $value) = each %now) {
        $ENV{$name} = $value unless defined $ENV{$name} && $ENV{$name} eq $value;
    }
}

# END blocks compiled after perl_run only run at perl_destruct with a flag the host cannot set, so run them
# here, each once, newest first as perl does.
sub run_end_blocks {
    $host_pid = $$;
    $out_signals = 1;
    _run_end_blocks();
    $out_signals = 0;
    _redeliver_signals();
}

sub _run_end_blocks {
    require B;
    my $av = B::end_av();
    return unless $av && $av->isa('B::AV');
    for my $cv ($av->ARRAY) {
        next if $ended{$$cv}++;
        eval { $cv->object_2svref->() };
        _log("END block failed: $@") if $@;
    }
}

package ForkServer::Psgi::Writer;

sub new { my ($class, $serial) = @_; bless { serial => $serial, closed => 0 }, $class }

sub write {
    my ($self, $data) = @_;
    die "write() after close()\n" if $self->{closed};
    die "write() on a finished request\n" if $self->{serial} != $ForkServer::Psgi::request_serial;
    die "a process the application forked cannot send the response\n" if $$ != $ForkServer::Psgi::host_pid;
    die "client disconnected\n" if $ForkServer::Psgi::abort;
    my $c = ForkServer::Psgi::_bytes($data);
    $ForkServer::Psgi::out_chunk = $c if length $c;
    return 1;
}

sub close { $_[0]{closed} = 1; return 1 }

sub poll_cb { my ($self, $cb) = @_; $cb->($self) until $self->{closed} || $ForkServer::Psgi::abort }

package ForkServer::Psgi::Errors;

sub print  { shift; ForkServer::Psgi::_log(@_); 1 }
sub printf { shift; my $format = shift; ForkServer::Psgi::_log(sprintf($format, @_)); 1 }
sub say    { shift; ForkServer::Psgi::_log(@_, "\n"); 1 }
sub flush  { 1 }
sub close  { 1 }

1;
