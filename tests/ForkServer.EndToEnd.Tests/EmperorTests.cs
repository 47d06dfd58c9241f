using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>The Emperor supervising a folder of vassal inis: add, touch, remove, deaths, bad vassals, signals, stats.</summary>
public sealed class EmperorTests : IDisposable
{
    private readonly EmperorHarness _emperor = new("--emperor-throttle", "200");

    public void Dispose() => _emperor.Dispose();

    [Fact]
    public async Task A_dropped_ini_is_spawned_serves_and_shows_ready_accepting_and_loyal_in_stats()
    {
        _emperor.DropVassal("one.ini", "info.psgi", "processes = 2");
        int pid = _emperor.WaitAccepting("one.ini");
        int port = _emperor.PortOf(pid);
        _emperor.Server.WaitForLine(new Regex($"\\[pid {pid}\\] master: all 2 worker"));
        using var client = Http.Client(port);

        Assert.Equal(200, (await Http.GetFresh(client, "info")).Status);
        _emperor.Server.WaitForLine(new Regex("vassal one.ini \\(pid \\d+\\) is now loyal"));

        using var stats = EmperorStatsClient.Read(_emperor.StatsSocket);
        var vassal = EmperorStatsClient.Vassal(stats, "one.ini")!.Value;
        Assert.Equal(pid, vassal.GetProperty("pid").GetInt32());
        Assert.Equal(1, vassal.GetProperty("ready").GetInt32());
        Assert.Equal(1, vassal.GetProperty("accepting").GetInt32());
        Assert.Equal(1, vassal.GetProperty("loyal").GetInt32());
        Assert.True(vassal.GetProperty("pss").GetInt64() > 0);
        Assert.Equal(2, vassal.GetProperty("workers").GetArrayLength());
        Assert.Equal(_emperor.Server.Pid, ProcessTree.ParentOf(pid));
    }

    [Fact]
    public async Task Touching_an_ini_reloads_the_vassal_in_place_and_removing_it_stops_it()
    {
        string ini = _emperor.DropVassal("one.ini", "info.psgi");
        int pid = _emperor.WaitAccepting("one.ini");
        int port = _emperor.PortOf(pid);

        File.SetLastWriteTimeUtc(ini, DateTime.UtcNow.AddSeconds(5));
        _emperor.Server.WaitForLine(new Regex("reloading vassal one.ini"));
        Assert.Equal(pid, _emperor.WaitAccepting("one.ini", occurrence: 1));
        using var client = Http.Client(port);
        Assert.Equal(200, (await Http.GetFresh(client, "info")).Status);

        File.Delete(ini);
        Assert.True(ProcessTree.WaitUntilGone(pid, TimeSpan.FromSeconds(20)), "the vassal outlived its file");
        _emperor.Server.WaitForLine(new Regex("vassal one.ini \\(pid \\d+\\) ended"));
        using var stats = EmperorStatsClient.Read(_emperor.StatsSocket);
        Assert.Null(EmperorStatsClient.Vassal(stats, "one.ini"));
    }

    [Fact]
    public async Task A_loyal_vassal_that_dies_is_respawned_at_once()
    {
        _emperor.DropVassal("one.ini", "info.psgi");
        int pid = _emperor.WaitAccepting("one.ini");
        using (var client = Http.Client(_emperor.PortOf(pid)))
        {
            await Http.GetFresh(client, "info");
        }

        _emperor.Server.WaitForLine(new Regex("vassal one.ini \\(pid \\d+\\) is now loyal"));
        ProcessTree.Signal(pid, ProcessTree.SIGKILL);

        int respawned = _emperor.WaitAccepting("one.ini", occurrence: 1);
        Assert.NotEqual(pid, respawned);
        using var again = Http.Client(_emperor.PortOf(respawned));
        Assert.Equal(200, (await Http.GetFresh(again, "info")).Status);
    }

    [Fact]
    public async Task A_broken_vassal_is_blacklisted_while_the_others_keep_serving()
    {
        _emperor.DropVassal("good.ini", "info.psgi");
        _emperor.DropFile("bad.ini", "[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\nproceses = 2\n");
        _emperor.DropFile("notes.txt", "not a vassal");
        int good = _emperor.WaitAccepting("good.ini");

        _emperor.Server.WaitForLine(new Regex("bad.ini:4: key 'proceses'"));
        _emperor.Server.WaitForLine(new Regex("vassal bad.ini \\(pid \\d+\\) died before it was loyal"), skip: 1);

        using var stats = EmperorStatsClient.Read(_emperor.StatsSocket);
        var blacklisted = stats.RootElement.GetProperty("blacklist").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "bad.ini");
        Assert.True(blacklisted.GetProperty("attempt").GetInt32() >= 2);
        Assert.Null(EmperorStatsClient.Vassal(stats, "notes.txt"));
        using var client = Http.Client(_emperor.PortOf(good));
        Assert.Equal(200, (await Http.GetFresh(client, "info")).Status);
    }

    [Fact]
    public void A_vassal_that_never_becomes_ready_is_killed_after_the_deadline()
    {
        using var emperor = new EmperorHarness("--emperor-ready-timeout", "2");
        string app = emperor.DropFile("slow.psgi", "sleep 600; sub { [200, [], ['late']] }\n");
        emperor.DropFile("slow.ini", $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\npsgi = {app}\n");

        emperor.Server.WaitForLine(new Regex("killing vassal slow.ini \\(pid \\d+\\): not ready 2 s after its start"));
    }

    [Fact]
    public void Ten_inis_dropped_at_once_all_spawn_and_accept()
    {
        for (int i = 0; i < 10; i++)
        {
            _emperor.DropVassal($"v{i}.ini", "hello.psgi");
        }

        for (int i = 0; i < 10; i++)
        {
            _emperor.WaitAccepting($"v{i}.ini");
        }
    }

    [Fact]
    public void Sigterm_stops_every_vassal_and_the_emperor_exits_0()
    {
        _emperor.DropVassal("one.ini", "hello.psgi");
        _emperor.DropVassal("two.ini", "hello.psgi");
        int one = _emperor.WaitAccepting("one.ini");
        int two = _emperor.WaitAccepting("two.ini");

        _emperor.Server.Signal(ProcessTree.SIGTERM);

        Assert.Equal(0, _emperor.Server.WaitForExit());
        Assert.False(ProcessTree.IsAlive(one));
        Assert.False(ProcessTree.IsAlive(two));
    }

    [Fact]
    public void When_the_emperor_dies_its_vassals_stop()
    {
        _emperor.DropVassal("one.ini", "hello.psgi", "processes = 2");
        int pid = _emperor.WaitAccepting("one.ini");
        _emperor.Server.WaitForLine(new Regex($"\\[pid {pid}\\] master: all 2 worker"));
        var workers = ProcessTree.ChildrenOf(pid);

        _emperor.Server.Signal(ProcessTree.SIGKILL);

        Assert.True(ProcessTree.WaitUntilGone(pid, TimeSpan.FromSeconds(20)), "the vassal outlived its Emperor");
        Assert.All(workers, w => Assert.True(ProcessTree.WaitUntilGone(w, TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void The_vassal_folder_removed_and_recreated_stops_then_respawns_its_vassals()
    {
        _emperor.DropVassal("one.ini", "hello.psgi");
        int pid = _emperor.WaitAccepting("one.ini");

        Directory.Delete(_emperor.VassalDirectory, recursive: true);
        Assert.True(ProcessTree.WaitUntilGone(pid, TimeSpan.FromSeconds(20)), "the vassal outlived its folder");

        Directory.CreateDirectory(_emperor.VassalDirectory);
        _emperor.DropVassal("one.ini", "hello.psgi");
        Assert.NotEqual(pid, _emperor.WaitAccepting("one.ini", occurrence: 1));
    }

    [Fact]
    public void A_vassal_flooding_its_control_socket_is_cut_off_and_the_emperor_stays_responsive()
    {
        string flood = Path.Combine(_emperor.Scratch, "flood.sh");
        File.WriteAllText(flood, "#!/bin/sh\nexec perl -e 'open(my $fh, \">&=\", $ENV{UWSGI_EMPEROR_FD}) or die; syswrite($fh, \"\\x1a\" x 4096) while 1'\n");
        File.SetUnixFileMode(flood, (UnixFileMode)0x1ed);
        using var emperor = new EmperorHarness("--emperor-wrapper", flood);
        emperor.DropFile("flood.ini", "[uwsgi]\n");

        emperor.Server.WaitForLine(new Regex("vassal flood.ini \\(pid \\d+\\) floods its control socket"));
        using var stats = EmperorStatsClient.Read(emperor.StatsSocket);
        Assert.NotNull(EmperorStatsClient.Vassal(stats, "flood.ini"));
    }

    [Fact]
    public void A_vassal_and_its_workers_hold_no_descriptor_of_the_emperor()
    {
        _emperor.DropVassal("one.ini", "hello.psgi", "processes = 2");
        _emperor.DropVassal("two.ini", "hello.psgi");
        int pid = _emperor.WaitAccepting("one.ini");
        _emperor.WaitAccepting("two.ini");
        // Worker 1 accepting makes the vassal ready; worker 2 may still be between its fork and closing what it
        // must not keep. Once every worker accepts, each has.
        _emperor.Server.WaitForLine(new Regex($"\\[pid {pid}\\] master: all 2 worker"));

        foreach (int process in ProcessTree.ChildrenOf(pid).Prepend(pid))
        {
            var targets = Directory.GetFiles($"/proc/{process}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "").ToList();

            // Its own: the HTTP listener, and in the master its end of the control socket. Not the Emperor's
            // inotify, stats socket, signalfd or epoll, nor another vassal's control socket.
            Assert.Equal(process == pid ? 2 : 1, targets.Count(t => t.StartsWith("socket:", StringComparison.Ordinal)));
            Assert.DoesNotContain(targets, t => t.Contains("inotify", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Sighup_reloads_every_vassal_in_place()
    {
        _emperor.DropVassal("one.ini", "hello.psgi");
        _emperor.DropVassal("two.ini", "hello.psgi");
        int one = _emperor.WaitAccepting("one.ini");
        int two = _emperor.WaitAccepting("two.ini");

        _emperor.Server.Signal(ProcessTree.SIGHUP);

        Assert.Equal(one, _emperor.WaitAccepting("one.ini", occurrence: 1));
        Assert.Equal(two, _emperor.WaitAccepting("two.ini", occurrence: 1));
        Assert.Equal(2, Regex.Matches(_emperor.Server.Output, "reloading vassal .*: SIGHUP").Count);
    }

    [Fact]
    public void A_vassal_whose_heartbeats_stop_is_killed()
    {
        using var emperor = new EmperorHarness("--emperor-required-heartbeat", "2");
        emperor.DropVassal("beat.ini", "hello.psgi", "heartbeat = 1");
        int pid = emperor.WaitAccepting("beat.ini");

        ProcessTree.Signal(pid, 19); // SIGSTOP: alive, but silent
        try
        {
            emperor.Server.WaitForLine(new Regex($"killing vassal beat.ini \\(pid {pid}\\): no heartbeat for 2 s"));
            Assert.True(ProcessTree.WaitUntilGone(pid, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            ProcessTree.Signal(pid, 18); // SIGCONT, should the assertion fail
        }
    }
}
