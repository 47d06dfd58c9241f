using System.Diagnostics;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;
using ForkServer.Kernel.Posix;
using Xunit.Abstractions;
using static Tmds.Linux.LibC;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// The base's fork-server socket against its neighbours: a local user of another uid flooding an abstract socket
/// (anyone may connect to one; SO_PEERCRED refuses them), root holding connections open without a word, and a base
/// that stops answering (SIGSTOP). None of them may flood the Emperor's log or keep the Emperor's adoptions waiting.
/// </summary>
public sealed class ForkServerNeighbourTests : IDisposable
{
    private readonly string _socket = "@fs-neighbour-" + Guid.NewGuid().ToString("N")[..8];
    private readonly EmperorHarness _emperor;
    private readonly ITestOutputHelper _output;

    public ForkServerNeighbourTests(ITestOutputHelper output)
    {
        _output = output;
        _emperor = new EmperorHarness("--emperor-use-fork-server", _socket, "--vassal-fork-base", "base.ini", "--socket-timeout", "2");
        _emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("hello.psgi")}\nfork-server = {_socket}\n");
        BasePid = int.Parse(_emperor.Server.WaitForLine(new Regex("vassal base.ini \\(pid (\\d+)\\) is ready")).Groups[1].Value);
    }

    private int BasePid { get; }

    private static bool IsRoot => Environment.UserName == "root";

    public void Dispose()
    {
        // A base left stopped by a failed test would never read its Emperor's end-of-file.
        ProcessTree.Signal(BasePid, SIGCONT);
        _emperor.Dispose();
    }

    [Fact]
    public void A_user_of_another_uid_flooding_the_socket_gets_a_few_log_lines_and_does_not_delay_an_adoption()
    {
        if (!IsRoot)
        {
            return; // needs to run the flooder as another user
        }

        const int FloodSeconds = 6;
        int linesBefore = LineCount();
        using var flooder = ForkServerProcess.StartProgram("/usr/bin/setpriv", _emperor.Scratch,
            "--reuid=nobody", "--regid=nogroup", "--clear-groups", "perl", "-MSocket", "-e", FloodScript, _socket[1..], FloodSeconds.ToString());
        flooder.WaitForLine(new Regex("^flooding$"));
        _emperor.Server.WaitForLine(new Regex("adoption request refused: connection from pid \\d+ uid 65534"));

        var adoption = Stopwatch.StartNew();
        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
        _emperor.WaitAccepting("one.ini");
        adoption.Stop();
        bool floodWentOn = !flooder.Output.Contains("done");

        int connections = int.Parse(flooder.WaitForLine(new Regex("^done (\\d+)$"), TimeSpan.FromSeconds(FloodSeconds + 30)).Groups[1].Value);
        int linesDuringFlood = LineCount() - linesBefore;
        _output.WriteLine($"{connections} refused connections in {FloodSeconds} s: {linesDuringFlood} log lines; adoption during the flood {adoption.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(connections > 100, $"the flooder made only {connections} connection(s)");
        Assert.True(linesDuringFlood < 50, $"{connections} refused connections wrote {linesDuringFlood} lines to the Emperor's log");
        Assert.True(floodWentOn, "the adoption was not done during the flood");
        Assert.True(adoption.Elapsed < TimeSpan.FromSeconds(5), $"the adoption during the flood took {adoption.Elapsed.TotalSeconds:F1} s");
        Assert.DoesNotContain("adoption of vassal one.ini failed", _emperor.Server.Output);

        // What was not logged one by one is summed up: how many, and by whom.
        _emperor.Server.WaitForLine(new Regex("refused \\d+ more connection\\(s\\) from other users .*uid\\(s\\) 65534"));
    }

    [Fact]
    public void Silent_connections_held_to_the_base_do_not_delay_an_adoption()
    {
        // Root (or the base's uid) may connect; these send nothing and stay open.
        var silent = Enumerable.Range(0, 5).Select(_ => UnixSocketAddress.Connect(_socket)).ToList();
        try
        {
            var adoption = Stopwatch.StartNew();
            _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
            _emperor.WaitAccepting("one.ini");
            adoption.Stop();
            _output.WriteLine($"adoption behind 5 silent connections: {adoption.Elapsed.TotalMilliseconds:F0} ms");

            Assert.True(adoption.Elapsed < TimeSpan.FromSeconds(8), $"the adoption behind 5 silent connections took {adoption.Elapsed.TotalSeconds:F1} s");
            Assert.DoesNotContain("adoption of vassal one.ini failed", _emperor.Server.Output);

            // Each silent connection is dropped at its own deadline, and named for it.
            _emperor.Server.WaitForLine(new Regex("adoption request refused: .*no whole request"), skip: 4);
        }
        finally
        {
            silent.ForEach(fd => close(fd));
        }
    }

    [Fact]
    public void A_base_that_answers_no_session_is_killed_and_respawned_and_the_vassal_is_adopted_from_the_new_one()
    {
        ProcessTree.Signal(BasePid, SIGSTOP);
        var stopped = Stopwatch.StartNew();
        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n");

        var timeout = TimeSpan.FromSeconds(60);
        _emperor.Server.WaitForLine(new Regex($"the fork-server base base.ini \\(pid {BasePid}\\) answered none of the last 3 adoption sessions: killing it"), timeout);
        Assert.True(ProcessTree.WaitUntilGone(BasePid, TimeSpan.FromSeconds(10)), "the stopped base was not killed");
        int newBase = int.Parse(_emperor.Server.WaitForLine(new Regex("fork server (\\d+) ready"), timeout, skip: 1).Groups[1].Value);
        Assert.NotEqual(BasePid, newBase);

        int vassal = _emperor.WaitAccepting("one.ini");
        _output.WriteLine($"base stopped, then the vassal accepting {stopped.Elapsed.TotalSeconds:F1} s later (socket-timeout 2 s)");
        _emperor.Server.WaitForLine(new Regex($"\\[pid {newBase}\\] fork-server: adopting .*one\\.ini"));
        Assert.True(ProcessTree.IsAlive(vassal));
    }

    private const string FloodScript = """
        my ($name, $seconds) = @ARGV;
        $SIG{PIPE} = "IGNORE"; # the base closes a refused peer at once: its byte may find nobody to take it
        my $address = pack_sockaddr_un("\0$name");
        $| = 1;
        print "flooding\n";
        my ($count, $end) = (0, time + $seconds);
        while (time < $end) {
            socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
            if (connect($s, $address)) { syswrite($s, "x"); $count++ }
            close $s;
        }
        print "done $count\n";
        """;

    private int LineCount() => _emperor.Server.Output.Count(c => c == '\n') + 1;
}
