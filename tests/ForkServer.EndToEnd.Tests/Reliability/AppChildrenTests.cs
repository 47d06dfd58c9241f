using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// Processes a PSGI application starts in its worker (apps/app_children.psgi): a forked child's exit ends it, never
/// the worker's loop; nothing the application started keeps the vassal's port once the vassal stopped; and what it
/// runs starts with the default signal mask and dispositions, so <c>timeout</c> and SIGTERM work on it.
/// </summary>
public sealed class AppChildrenTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_forked_child_that_exits_ends_and_the_stopped_vassal_leaves_its_port_free()
    {
        var (server, port) = Start();
        using var _ = server;
        using var connection = new RawHttpConnection(port);

        Assert.Equal((200, "ok"), connection.Get("/fork-exit"));

        // The child answers nothing on the client's connection: the next response on it is the worker's own.
        var (status, body) = connection.Get("/fork-sleep-exit");
        Assert.Equal(200, status);
        int child = int.Parse(body, CultureInfo.InvariantCulture);
        Assert.True(WaitUntilExited(child), $"the application's child {child} is still running");
        Assert.Equal((200, "reaped"), connection.Get("/reap"));
        connection.AssertNothingMoreSent();

        server.Signal(ProcessTree.SIGTERM);
        Assert.Equal(0, server.WaitForExit(Bound));
        AssertPortFree(port);
        RunCensus.AssertAllGone(_dir.Path, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_child_left_running_holds_neither_the_port_nor_the_worker_descriptors()
    {
        var (server, port) = Start();
        using var _ = server;
        using var connection = new RawHttpConnection(port);
        var (status, body) = connection.Get("/fork-daemon");
        Assert.Equal(200, status);
        int daemon = int.Parse(body, CultureInfo.InvariantCulture);
        try
        {
            // Sockets the test host passed down to the vassal are everyone's; the listener and the client's connection
            // are the worker's.
            int worker = ProcessTree.ParentOf(daemon);
            Assert.DoesNotContain(ProcessTree.ListeningTcpSockets(daemon), address => address.EndsWith($":{port:X4}", StringComparison.Ordinal));
            Assert.Empty(Sockets(daemon).Intersect(Sockets(worker)).Except(Sockets(server.Pid)));
            // Not server.WaitForExit: that reads the vassal's output to its end, and the daemon still holds the
            // runtime's copies of the vassal's stdout and stderr (see RELIABILITY.md).
            server.Signal(ProcessTree.SIGTERM);
            Assert.True(ProcessTree.WaitUntilGone(server.Pid, Bound), "the vassal did not stop");

            // The daemon lives on, as under uWSGI or Starman, but the port is free for the next vassal.
            Assert.True(ProcessTree.IsAlive(daemon));
            AssertPortFree(port);
        }
        finally
        {
            ProcessTree.Signal(daemon, ProcessTree.SIGKILL);
        }
    }

    [Fact]
    public void Programs_the_application_runs_start_with_no_signal_blocked_or_ignored()
    {
        var (server, port) = Start();
        using var _ = server;
        using var connection = new RawHttpConnection(port);

        var (status, body) = connection.Get("/backticks-status");
        Assert.Equal(200, status);
        Assert.Contains("SigBlk:\t0000000000000000", body);
        Assert.Contains("SigIgn:\t0000000000000000", body);

        // timeout(1) sends SIGTERM after 1 s: a sleep that blocked it would run its 5 s.
        var (timeoutStatus, seconds) = connection.Get("/system-timeout");
        Assert.Equal(200, timeoutStatus);
        Assert.True(double.Parse(seconds, CultureInfo.InvariantCulture) < 4, $"system(\"timeout 1 sleep 5\") took {seconds} s");
    }

    [Fact]
    public void A_program_left_running_by_system_dies_of_sigterm_and_the_worker_still_stops_gracefully()
    {
        var (server, port) = Start();
        using var _ = server;
        using var connection = new RawHttpConnection(port);
        var workers = ProcessTree.ChildrenOf(server.Pid);

        Assert.Equal((200, "started"), connection.Get("/system-daemon"));
        int sleeper = FindSleeper(workers);
        try
        {
            ProcessTree.Signal(sleeper, ProcessTree.SIGTERM);
            Assert.True(WaitUntilExited(sleeper), $"sleep {sleeper}, started by system(), ignored SIGTERM");
        }
        finally
        {
            ProcessTree.Signal(sleeper, ProcessTree.SIGKILL);
        }

        server.Signal(ProcessTree.SIGTERM);
        Assert.Equal(0, server.WaitForExit(Bound));
        AssertPortFree(port);
    }

    private (ForkServerProcess Server, int Port) Start()
    {
        string ini = _dir.Write("children.ini", $"""
            [uwsgi]
            plugins = psgi
            http-socket = 127.0.0.1:0
            processes = 1
            psgi = {RepositoryLayout.App("app_children.psgi")}
            """);
        return ForkServerProcess.StartServing(_dir.Path, "--ini", ini);
    }

    /// <summary>The sleep that system("sleep 300 &amp;") left behind: a process of the run, outside the vassal's tree.</summary>
    private int FindSleeper(IReadOnlyList<int> workers)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var found = RunCensus.Take(_dir.Path).RunProcesses
                .Where(pid => !workers.Contains(pid) && ReadComm(pid) == "sleep").ToList();
            if (found.Count == 1)
            {
                return found[0];
            }

            Assert.True(DateTime.UtcNow < deadline, $"no single sleep process found: [{string.Join(", ", found)}]");
            Thread.Sleep(50);
        }
    }

    private static string ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>True once <paramref name="pid"/> has exited (a zombie counts: it holds nothing).</summary>
    private static bool WaitUntilExited(int pid)
    {
        var clock = Stopwatch.StartNew();
        while (ProcessTree.IsAlive(pid))
        {
            if (clock.Elapsed > Bound)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return true;
    }

    private static List<string> Sockets(int pid)
        => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget ?? "")
            .Where(target => target.StartsWith("socket:", StringComparison.Ordinal))
            .ToList();

    private static void AssertPortFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    /// <summary>One keep-alive connection that reads each response whole (Content-Length) and nothing else.</summary>
    private sealed class RawHttpConnection : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<byte> _pending = [];

        public RawHttpConnection(int port)
        {
            _socket.ReceiveTimeout = (int)Bound.TotalMilliseconds;
            _socket.Connect(IPAddress.Loopback, port);
        }

        public (int Status, string Body) Get(string path)
        {
            _socket.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            int headEnd;
            while ((headEnd = IndexOfHeadEnd()) < 0)
            {
                Receive();
            }

            string head = Encoding.ASCII.GetString(_pending.GetRange(0, headEnd).ToArray());
            string[] lines = head.Split("\r\n");
            int length = lines.Skip(1).Select(l => l.Split(':', 2))
                .Where(p => p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(p => int.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).Single();
            while (_pending.Count < headEnd + 4 + length)
            {
                Receive();
            }

            string body = Encoding.UTF8.GetString(_pending.GetRange(headEnd + 4, length).ToArray());
            _pending.RemoveRange(0, headEnd + 4 + length);
            return (int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture), body);
        }

        /// <summary>No byte arrived beyond the responses read.</summary>
        public void AssertNothingMoreSent()
        {
            Assert.Empty(_pending);
            Assert.False(_socket.Poll(200_000, SelectMode.SelectRead) && _socket.Available > 0, "unsolicited bytes on the connection");
        }

        public void Dispose() => _socket.Dispose();

        private void Receive()
        {
            var buffer = new byte[8192];
            int n = _socket.Receive(buffer);
            if (n == 0)
            {
                throw new IOException("the server closed the connection");
            }

            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        private int IndexOfHeadEnd()
        {
            for (int i = 0; i + 3 < _pending.Count; i++)
            {
                if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
