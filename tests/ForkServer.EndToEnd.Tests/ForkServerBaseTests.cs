using System.Text;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;
using static Tmds.Linux.LibC;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// A base vassal on its own, with the test playing the Emperor over the real socket: hostile and broken adoption
/// requests are refused and logged, and the base goes on adopting.
/// </summary>
public sealed unsafe class ForkServerBaseTests : IDisposable
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new();
    private readonly ForkServerProcess _base;
    private readonly string _socket;

    public ForkServerBaseTests()
    {
        _socket = Path.Combine(_dir.Path, "base.sock");
        _base = ForkServerProcess.Start(_dir.Path, "--plugins", "psgi", "--early-psgi", RepositoryLayout.App("hello.psgi"),
            "--fork-server", _socket, "--chmod-socket", "666", "--socket-timeout", "1");
        _base.WaitForLine(new Regex("fork server \\d+ ready"));
    }

    public void Dispose()
    {
        _base.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_valid_request_is_answered_with_the_adopted_pid_and_the_vassal_serves()
    {
        int pid = Adopt(_dir.Write("ok.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n"));

        _base.WaitForLine(new Regex($"master {pid} serving"));
        Assert.NotEqual(_base.Pid, pid);
    }

    [Fact]
    public void Garbage_is_refused_and_the_base_adopts_the_next_request()
    {
        Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"), []);
        _base.WaitForLine(new Regex("adoption request refused: not an adoption request"));
        Assert.True(Adopt(_dir.Write("ok.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n")) > 0);
    }

    [Fact]
    public void A_truncated_request_is_refused()
    {
        byte[] request = ForkServerRequest.Encode(["forkserver", "--ini", "x.ini"], ForkServerFdMask.Control);
        using var control = ControlSocketPair.Create();
        Send(request[..10], [control.VassalEnd]);
        _base.WaitForLine(new Regex("adoption request refused: .*(10 of|byte)"));
    }

    [Fact]
    public void A_request_whose_fds_do_not_match_its_mask_is_refused()
    {
        using var control = ControlSocketPair.Create();
        using var extra = ControlSocketPair.Create();
        Send(ForkServerRequest.Encode(["forkserver", "--ini", "x.ini"], ForkServerFdMask.Control), [control.VassalEnd, extra.VassalEnd]);
        _base.WaitForLine(new Regex("adoption request refused: .*announces 1 fd\\(s\\) but 2 came"));
    }

    [Fact]
    public void A_request_naming_a_missing_ini_gets_a_pid_then_that_vassal_reports_the_error_and_exits()
    {
        int pid = Adopt("/nonexistent/missing.ini");

        _base.WaitForLine(new Regex("adopted vassal .*missing.ini cannot start: .*missing.ini"));
        Assert.True(ProcessTree.WaitUntilGone(pid, TimeSpan.FromSeconds(10)));
        Assert.True(ProcessTree.IsAlive(_base.Pid));
    }

    [Fact]
    public void A_vassal_whose_Emperor_hung_up_before_the_reply_ends_quietly_and_the_base_adopts_on()
    {
        using var control = ControlSocketPair.Create();
        int fd = UnixSocketAddress.Connect(_socket);
        try
        {
            FdPassing.Send(fd, ForkServerRequest.Encode([RepositoryLayout.ForkServerBinary, "--ini", _dir.Write("gone.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n")], ForkServerFdMask.Control), [control.VassalEnd], Environment.TickCount64 + (long)SessionTimeout.TotalMilliseconds);

            // No longer reading, but not closed: the base sees a live session and hands it on; the spare's reply
            // then finds nobody to take it (EPIPE).
            shutdown(fd, SHUT_RD);
            _base.WaitForLine(new Regex("adoption of .*gone.ini abandoned: the Emperor did not take the pid reply"));
        }
        finally
        {
            close(fd);
        }

        Assert.DoesNotContain("Unhandled exception", _base.Output);
        Assert.True(Adopt(_dir.Write("ok.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n")) > 0);
    }

    [Fact]
    public void A_request_whose_Emperor_gave_up_before_the_base_read_it_forks_nothing()
    {
        using var control = ControlSocketPair.Create();
        _base.Signal(SIGSTOP);
        try
        {
            // Queued whole in the backlog of a base that does not run, and given up (closed) before it resumes.
            Send(ForkServerRequest.Encode([RepositoryLayout.ForkServerBinary, "--ini", _dir.Write("late.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n")], ForkServerFdMask.Control), [control.VassalEnd]);
        }
        finally
        {
            _base.Signal(SIGCONT);
        }

        _base.WaitForLine(new Regex("adoption request for .*late.ini from pid \\d+ dropped: the Emperor gave up on it before the base read it; nothing forked"));
        Assert.DoesNotMatch(new Regex("adopting .*late.ini"), _base.Output);
        Assert.True(Adopt(_dir.Write("ok.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n")) > 0);
        Assert.DoesNotMatch(new Regex("late.ini abandoned"), _base.Output);
    }

    [Fact]
    public void A_peer_with_another_uid_is_refused()
    {
        if (Environment.UserName != "root")
        {
            return; // needs to run a client as another user
        }

        using var client = ForkServerProcess.StartProgram("/usr/sbin/runuser", _dir.Path, "-u", "nobody", "--", "perl", "-MSocket", "-e",
            $"socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die; connect($s, pack_sockaddr_un('{_socket}')) or die \"connect: $!\"; syswrite($s, \"\\x23\\x00\\x00\\x01\"); sysread($s, my $b, 1); print \"closed\\n\"");
        client.WaitForLine(new Regex("^closed$"));
        _base.WaitForLine(new Regex("adoption request refused: connection from pid \\d+ uid 65534"));
    }

    /// <summary>Sends a valid request for <paramref name="ini"/> with a fresh control socket; returns the replied pid.</summary>
    private int Adopt(string ini)
    {
        using var control = ControlSocketPair.Create();
        int fd = UnixSocketAddress.Connect(_socket);
        try
        {
            long deadline = Environment.TickCount64 + (long)SessionTimeout.TotalMilliseconds;
            FdPassing.Send(fd, ForkServerRequest.Encode([RepositoryLayout.ForkServerBinary, "--ini", ini], ForkServerFdMask.Control), [control.VassalEnd], deadline);
            var fds = new List<int>();
            Span<byte> head = stackalloc byte[UwsgiPacketHeader.Length];
            FdPassing.ReceiveExactly(fd, head, fds, deadline);
            Assert.True(UwsgiPacketHeader.TryRead(head, out var header));
            byte[] body = new byte[header.Size];
            FdPassing.ReceiveExactly(fd, body, fds, deadline);
            return ForkServerReply.Decode(header, body);
        }
        finally
        {
            close(fd);
        }
    }

    private void Send(byte[] bytes, int[] fds)
    {
        int fd = UnixSocketAddress.Connect(_socket);
        try
        {
            FdPassing.Send(fd, bytes, fds, Environment.TickCount64 + (long)SessionTimeout.TotalMilliseconds);
        }
        finally
        {
            close(fd);
        }
    }
}
