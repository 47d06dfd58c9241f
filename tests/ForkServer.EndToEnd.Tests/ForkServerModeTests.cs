using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// The seed scenario: an Emperor with a base vassal that loads the app once and serves as fork server, and two
/// vassals adopted from it (docs/protocol.md#processes to #what-a-base-does-with-a-request), with uid/gid switching,
/// reload, removal and kills.
/// </summary>
public sealed class ForkServerModeTests : IDisposable
{
    private readonly string _socket = "@forkserver-e2e-" + Guid.NewGuid().ToString("N")[..8];
    private readonly EmperorHarness _emperor;

    public ForkServerModeTests()
    {
        _emperor = new EmperorHarness("--emperor-use-fork-server", _socket, "--vassal-fork-base", "perlbase.ini", "--emperor-throttle", "200");
    }

    public void Dispose() => _emperor.Dispose();

    private void DropSeed()
    {
        _emperor.DropFile("perlbase.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("seed_app.psgi")}\nfork-server = {_socket}\n");
        // Dropped before the base is ready: they must wait for it, not fail (D4 in docs/uwsgi-defects.md).
        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 4\nuid = 1001\ngid = 1001\n");
        _emperor.DropFile("two.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 8\nuid = 1002\ngid = 1002\n");
    }

    [Fact]
    public async Task Adopted_vassals_share_the_app_loaded_once_and_run_as_their_own_users()
    {
        if (Environment.UserName != "root")
        {
            return; // switching to uid 1001/1002 needs root; CI runs as root
        }

        DropSeed();
        int one = _emperor.WaitAccepting("one.ini");
        int two = _emperor.WaitAccepting("two.ini");
        _emperor.Server.WaitForLine(new Regex($"\\[pid {one}\\] master: all 4 worker"));
        _emperor.Server.WaitForLine(new Regex($"\\[pid {two}\\] master: all 8 worker"));

        Assert.Single(Regex.Matches(_emperor.Server.Output, "I am the App"));
        Assert.Equal(_emperor.Server.Pid, ProcessTree.ParentOf(one));
        Assert.Equal(_emperor.Server.Pid, ProcessTree.ParentOf(two));
        Assert.Equal(4, ProcessTree.ChildrenOf(one).Count);
        Assert.Equal(8, ProcessTree.ChildrenOf(two).Count);
        foreach (var (master, uid) in new[] { (one, "1001"), (two, "1002") })
        {
            foreach (int worker in ProcessTree.ChildrenOf(master))
            {
                Assert.Equal($"{uid}\t{uid}\t{uid}\t{uid}", ProcessTree.StatusField(worker, "Uid"));
                Assert.Equal($"{uid}\t{uid}\t{uid}\t{uid}", ProcessTree.StatusField(worker, "Gid"));
            }
        }

        using var client = Http.Client(_emperor.PortOf(one));
        var (status, body) = await Http.GetFresh(client, "");
        Assert.Equal(200, status);
        Assert.Contains("uid 1001 gid 1001", body);

        using var stats = EmperorStatsClient.Read(_emperor.StatsSocket);
        Assert.Equal(1, EmperorStatsClient.Vassal(stats, "one.ini")!.Value.GetProperty("adopted").GetInt32());
        Assert.Equal(0, EmperorStatsClient.Vassal(stats, "perlbase.ini")!.Value.GetProperty("adopted").GetInt32());
    }

    [Fact]
    public void Touching_an_adopted_vassal_adopts_it_anew_and_removing_it_stops_it()
    {
        DropSeed();
        int one = _emperor.WaitAccepting("one.ini");

        File.SetLastWriteTimeUtc(Path.Combine(_emperor.VassalDirectory, "one.ini"), DateTime.UtcNow.AddSeconds(5));
        int reloaded = Adopted("one.ini", occurrence: 1);
        _emperor.Server.WaitForLine(new Regex($"vassal one.ini \\(pid {reloaded}\\) is ready to accept requests"));
        Assert.NotEqual(one, reloaded);
        Assert.Single(Regex.Matches(_emperor.Server.Output, "I am the App"));

        File.Delete(Path.Combine(_emperor.VassalDirectory, "one.ini"));
        Assert.True(ProcessTree.WaitUntilGone(reloaded, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Touching_an_adopted_vassal_refuses_no_connection()
    {
        DropSeed();
        int one = _emperor.WaitAccepting("one.ini");
        int port = _emperor.PortOf(one);
        var started = DateTime.UtcNow;
        using var clients = new ClientLoop(new Dictionary<string, int> { ["one.ini"] = port });
        clients.WaitServing("one.ini", started, TimeSpan.FromSeconds(20));

        File.SetLastWriteTimeUtc(Path.Combine(_emperor.VassalDirectory, "one.ini"), DateTime.UtcNow.AddSeconds(5));
        int reloaded = Adopted("one.ini", occurrence: 1);
        var handedOver = _emperor.Server.WaitForLine(new Regex($"\\[pid (\\d+)\\] vassal: listening on 127.0.0.1:{port}, handed over"));
        _emperor.Server.WaitForLine(new Regex($"\\[pid {reloaded}\\] master: all 4 worker"));
        Assert.True(IsOfVassal(int.Parse(handedOver.Groups[1].Value), reloaded));
        Assert.True(ProcessTree.WaitUntilGone(one, TimeSpan.FromSeconds(20)));

        // The old vassal is gone: what answers now is the re-adopted one.
        clients.WaitServing("one.ini", DateTime.UtcNow, TimeSpan.FromSeconds(20));
        Assert.Equal(0, clients.Failed("one.ini", started, DateTime.UtcNow));
    }

    [Fact]
    public async Task An_adopted_vassal_whose_address_changed_lets_the_old_port_go()
    {
        DropSeed();
        int one = _emperor.WaitAccepting("one.ini");
        int oldPort = _emperor.PortOf(one);

        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.2:0\nprocesses = 1\n");
        int reloaded = Adopted("one.ini", occurrence: 1);
        var closed = _emperor.Server.WaitForLine(new Regex($"\\[pid (\\d+)\\] vassal: http-socket is now 127.0.0.2:0: closing the handed-over 127.0.0.1:{oldPort}"));
        _emperor.WaitAccepting("one.ini", occurrence: 1);
        Assert.True(IsOfVassal(int.Parse(closed.Groups[1].Value), reloaded));

        using var oldClient = Http.Client(oldPort);
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetFresh(oldClient, ""));
    }

    [Fact]
    public void Killed_workers_masters_and_the_base_all_recover()
    {
        DropSeed();
        int one = _emperor.WaitAccepting("one.ini");
        _emperor.WaitAccepting("two.ini");
        int basePid = int.Parse(_emperor.Server.WaitForLine(new Regex("fork server (\\d+) ready")).Groups[1].Value);
        _emperor.Server.WaitForLine(new Regex($"\\[pid {one}\\] master: all 4 worker"));

        ProcessTree.Signal(ProcessTree.ChildrenOf(one)[0], ProcessTree.SIGKILL);
        _emperor.Server.WaitForLine(new Regex($"\\[pid {one}\\] master: all 4 worker\\(s\\) accepting"), skip: 1);

        ProcessTree.Signal(one, ProcessTree.SIGKILL);
        int respawned = Adopted("one.ini", occurrence: 1);
        Assert.NotEqual(one, respawned);
        _emperor.Server.WaitForLine(new Regex($"\\[pid {respawned}\\] master: all 4 worker"));

        ProcessTree.Signal(basePid, ProcessTree.SIGKILL);
        _emperor.Server.WaitForLine(new Regex("fork server (\\d+) ready"), skip: 1);
        Assert.True(ProcessTree.IsAlive(respawned), "an adopted vassal died with its base");

        // With the base back, adoptions work again.
        File.SetLastWriteTimeUtc(Path.Combine(_emperor.VassalDirectory, "two.ini"), DateTime.UtcNow.AddSeconds(5));
        int readopted = Adopted("two.ini", occurrence: 1);
        _emperor.Server.WaitForLine(new Regex($"\\[pid {readopted}\\] master: all 8 worker"));
    }

    /// <summary>Waits for the n-th adoption of <paramref name="name"/> and returns the adopted pid.</summary>
    private int Adopted(string name, int occurrence)
        => int.Parse(_emperor.Server.WaitForLine(new Regex($"adopted vassal {Regex.Escape(name)} \\(pid (\\d+)\\)"), skip: occurrence).Groups[1].Value);

    // The HTTP socket is opened by the vassal's spare worker (worker 1) when it was adopted from a spare that had
    // one, else by its master.
    private static bool IsOfVassal(int pid, int master) => pid == master || ProcessTree.ChildrenOf(master).Contains(pid);
}
