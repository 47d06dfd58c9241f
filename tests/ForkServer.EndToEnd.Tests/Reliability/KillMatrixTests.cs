using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// kill -9 of each kind of process while clients keep requesting every vassal, under sustained load (keep-alive
/// clients sending requests back to back; a 1 MiB gen-0 budget, so every worker collects garbage under it). After
/// each fault: the vassals that should serve serve again within <see cref="Bound"/>, the others never stopped, no
/// worker died but the one killed, the Emperor's tree holds no zombie and no process of the run lives outside it;
/// after the Emperor's own death nothing of the run is left.
/// Measured recovery times go to the test output (RELIABILITY.md quotes them).
/// </summary>
[Collection(SustainedLoad.Name)]
public sealed class KillMatrixTests : IDisposable
{
    /// <summary>The stated bound: every vassal that should serve serves again within this time of the kill.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    // Keep-alive clients per vassal, beside the probe that opens a connection per request.
    private const int LoadClients = 4;

    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, int> _ports = new();
    private EmperorHarness? _emperor;
    private ClientLoop? _clients;

    public KillMatrixTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public enum Fault
    {
        Worker,
        AdoptedMaster,
        ClassicVassal,
        Base,
        Emperor,
    }

    private EmperorHarness Emperor => _emperor!;

    private ClientLoop Clients => _clients!;

    public void Dispose()
    {
        _clients?.Dispose();
        _emperor?.Dispose();
    }

    [Theory]
    [InlineData(Fault.Worker)]
    [InlineData(Fault.AdoptedMaster)]
    [InlineData(Fault.ClassicVassal)]
    [InlineData(Fault.Base)]
    [InlineData(Fault.Emperor)]
    public void After_kill_9_every_vassal_serves_again_and_nothing_is_left_over(Fault fault)
    {
        var masters = fault == Fault.ClassicVassal ? StartClassic() : StartForkServerMode();
        var t0 = DateTime.UtcNow;
        int killedWorker = 0;
        switch (fault)
        {
            case Fault.Worker:
            {
                killedWorker = ProcessTree.ChildrenOf(masters["one.ini"])[0];
                Kill(killedWorker);
                Emperor.Server.WaitForLine(new Regex($"\\[pid {masters["one.ini"]}\\] master: all 2 worker\\(s\\) accepting"), skip: 1);
                Report(fault, "one.ini has all its workers again", DateTime.UtcNow - t0, "its master forks a new one; the other worker serves meanwhile");
                break;
            }

            case Fault.AdoptedMaster:
                Kill(masters["one.ini"]);
                Report(fault, "one.ini serves", Clients.WaitServing("one.ini", t0, Bound), "the Emperor adopts it anew from the base");
                break;

            case Fault.ClassicVassal:
                Kill(masters["classic.ini"]);
                Report(fault, "classic.ini serves", Clients.WaitServing("classic.ini", t0, Bound), "the Emperor spawns it anew: a fresh .NET process");
                break;

            case Fault.Base:
            {
                Kill(masters["base.ini"]);
                Emperor.Server.WaitForLine(new Regex("fork server \\d+ ready"), skip: 1);
                var t1 = DateTime.UtcNow;

                // Without its base, every adopted vassal went on serving: not one request failed.
                _output.WriteLine($"kill-matrix {fault}: failed requests until the base was back: one.ini {Clients.Failed("one.ini", t0, t1)}, two.ini {Clients.Failed("two.ini", t0, t1)}"
                    + $" (under load: {Clients.LoadFailed("one.ini", t0, t1)}, {Clients.LoadFailed("two.ini", t0, t1)})");
                Assert.Equal(0, Clients.Failed("one.ini", t0, t1) + Clients.Failed("two.ini", t0, t1));
                Assert.Equal(0, Clients.LoadFailed("one.ini", t0, t1) + Clients.LoadFailed("two.ini", t0, t1));
                File.SetLastWriteTimeUtc(Path.Combine(Emperor.VassalDirectory, "two.ini"), DateTime.UtcNow.AddSeconds(5));
                Report(fault, "base.ini ready", t1 - t0, "the Emperor respawns the base; adopted vassals are not touched");
                int readopted = int.Parse(Emperor.Server.WaitForLine(new Regex("adopted vassal two.ini \\(pid (\\d+)\\)"), skip: 1).Groups[1].Value);
                Emperor.Server.WaitForLine(new Regex($"\\[pid {readopted}\\] master: all 1 worker\\(s\\) accepting"));
                Report(fault, "two.ini re-adopted with all workers", DateTime.UtcNow - t1, "touched once the base is back: adopted from the new base");
                Clients.WaitServing("two.ini", DateTime.UtcNow, Bound);
                break;
            }

            case Fault.Emperor:
            {
                var tree = RunCensus.Take(Emperor.Scratch).TreeOf(Emperor.Server.Pid);
                Emperor.Server.Signal(ProcessTree.SIGKILL);
                var gone = RunCensus.AssertAllGone(Emperor.Scratch, Bound);
                Report(fault, "every process of the run gone", gone, "each vassal, base and worker sees its control socket close, or its master die, and exits");

                // Orphaned to init, each is reaped there: none stays a zombie.
                Assert.All(tree, pid => Assert.True(ProcessTree.WaitUntilGone(pid, Bound) && WaitNotZombie(pid), $"pid {pid} stays a zombie"));
                return;
            }
        }

        var end = DateTime.UtcNow;
        _output.WriteLine($"kill-matrix {fault}: failed/succeeded requests from the kill on: "
            + string.Join(", ", _ports.Keys.Select(v => $"{v} {Clients.Failed(v, t0, end)}/{Clients.Succeeded(v, t0, end)}"))
            + "; under load: "
            + string.Join(", ", _ports.Keys.Select(v => $"{v} {Clients.LoadFailed(v, t0, end)}/{Clients.LoadSucceeded(v, t0, end)}")));
        foreach (string vassal in _ports.Keys.Where(v => !Affected(fault).Contains(v)))
        {
            Assert.Equal(0, Clients.Failed(vassal, t0, end));
            Assert.True(Clients.Succeeded(vassal, t0, end) > 0 || end - t0 < TimeSpan.FromSeconds(1), $"{vassal} was not asked");
            Assert.Equal(0, Clients.LoadFailed(vassal, t0, end));
            Assert.True(Clients.LoadSucceeded(vassal, t0, end) > 0 || end - t0 < TimeSpan.FromSeconds(1), $"{vassal} served no load");
        }

        if (fault == Fault.Worker)
        {
            // The request in flight on the killed worker may fail; its sibling serves everything else. Under load,
            // each keep-alive connection the killed worker held may lose the request it had sent.
            Assert.InRange(Clients.Failed("one.ini", t0, end), 0, 1);
            Assert.InRange(Clients.LoadFailed("one.ini", t0, end), 0, LoadClients);
        }

        // Under load, no worker died on its own: the only death is the one this test caused.
        var deaths = Regex.Matches(Emperor.Server.Output, @"worker \d+ \(pid (\d+)\) died").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(fault == Fault.Worker ? [killedWorker] : [], deaths);

        RunCensus.AssertTidy(Emperor.Scratch, Emperor.Server.Pid, Bound);
    }

    // Vassals that may be down for a while after the fault (the rest must not miss a request).
    private static string[] Affected(Fault fault) => fault switch
    {
        Fault.Worker or Fault.AdoptedMaster => ["one.ini"],
        Fault.ClassicVassal => ["classic.ini"],
        Fault.Base => ["two.ini"],
        _ => [],
    };

    /// <summary>An Emperor with a base and two adopted vassals (2 and 1 workers) on fixed ports; returns the pids.</summary>
    private Dictionary<string, int> StartForkServerMode()
    {
        string socket = "@fs-kill-" + Guid.NewGuid().ToString("N")[..8];
        _emperor = new EmperorHarness(SustainedLoad.SmallGen0Budget, "--emperor-use-fork-server", socket, "--vassal-fork-base", "base.ini");
        Emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("hello.psgi")}\nfork-server = {socket}\n");
        DropServing("one.ini", "processes = 2");
        DropServing("two.ini", "processes = 1");
        int basePid = int.Parse(Emperor.Server.WaitForLine(new Regex("fork server (\\d+) ready")).Groups[1].Value);
        return WaitAllServing(new Dictionary<string, int> { ["base.ini"] = basePid });
    }

    /// <summary>An Emperor spawning two classic vassals (2 and 1 workers) on fixed ports; returns the pids.</summary>
    private Dictionary<string, int> StartClassic()
    {
        _emperor = new EmperorHarness(SustainedLoad.SmallGen0Budget);
        DropServing("classic.ini", $"plugins = psgi\npsgi = {RepositoryLayout.App("hello.psgi")}\nprocesses = 2");
        DropServing("other.ini", $"plugins = psgi\npsgi = {RepositoryLayout.App("hello.psgi")}\nprocesses = 1");
        return WaitAllServing([]);
    }

    private void DropServing(string name, string options)
    {
        _ports[name] = ClientLoop.FreePort();
        Emperor.DropFile(name, $"[uwsgi]\nhttp-socket = 127.0.0.1:{_ports[name]}\n{options}\n");
    }

    private Dictionary<string, int> WaitAllServing(Dictionary<string, int> pids)
    {
        foreach (string name in _ports.Keys)
        {
            pids[name] = Emperor.WaitAccepting(name);
            Emperor.Server.WaitForLine(new Regex($"\\[pid {pids[name]}\\] master: all \\d+ worker\\(s\\) accepting"));
        }

        var start = DateTime.UtcNow;
        _clients = new ClientLoop(_ports, LoadClients);
        foreach (string name in _ports.Keys)
        {
            Clients.WaitServing(name, start, ForkServerProcess.DefaultTimeout);
        }

        return pids;
    }

    private static bool WaitNotZombie(int pid)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (ProcessTree.State(pid) == 'Z')
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return true;
    }

    private void Kill(int pid)
    {
        Assert.True(ProcessTree.IsAlive(pid), $"pid {pid} is not running");
        ProcessTree.Signal(pid, ProcessTree.SIGKILL);
    }

    private void Report(Fault fault, string vassal, TimeSpan recovery, string how)
        => _output.WriteLine($"kill-matrix {fault}: {vassal} after {recovery.TotalMilliseconds:F0} ms ({how})");
}
