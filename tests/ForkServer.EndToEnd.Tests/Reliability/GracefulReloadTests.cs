using System.Diagnostics;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// A vassal reloaded (its ini touched) while one of its workers is in a slow request: the new vassal serves at once,
/// while the old worker finishes that request (issue 18, item 2). Before, nothing accepted until the slow request
/// ended: the old master handed its socket over (adopted) or re-executed itself (classic) only once its last worker
/// had exited.
/// </summary>
public sealed class GracefulReloadTests(ITestOutputHelper output)
{
    // Long enough that a reload that waits for it is told apart from one that does not, even on a loaded machine.
    private const int SlowMs = 15_000;
    private static readonly TimeSpan ServedWithin = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task An_adopted_vassal_reloaded_during_a_slow_request_serves_at_once_and_the_request_completes()
    {
        string socket = "@forkserver-e2e-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = new EmperorHarness("--emperor-use-fork-server", socket, "--vassal-fork-base", "perlbase.ini");
        emperor.DropFile("perlbase.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("info.psgi")}\nfork-server = {socket}\n");
        emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 2\n");
        int old = emperor.WaitAccepting("one.ini");
        int port = emperor.PortOf(old);
        emperor.Server.WaitForLine(new Regex($"\\[pid {old}\\] master: all 2 worker"));

        await ReloadDuringSlowRequest(emperor, port, oldWorkers: ProcessTree.ChildrenOf(old), isOld: pid => ProcessTree.ParentOf(pid) == old);
    }

    [Fact]
    public async Task A_classic_vassal_reloaded_during_a_slow_request_serves_at_once_and_the_request_completes()
    {
        using var emperor = new EmperorHarness();
        emperor.DropVassal("one.ini", "info.psgi", "processes = 2");
        int master = emperor.WaitAccepting("one.ini");
        int port = emperor.PortOf(master);
        emperor.Server.WaitForLine(new Regex($"\\[pid {master}\\] master: all 2 worker"));
        var oldWorkers = ProcessTree.ChildrenOf(master);

        // A classic vassal keeps its pid across the reload: its old workers are the ones forked before it.
        await ReloadDuringSlowRequest(emperor, port, oldWorkers, isOld: oldWorkers.Contains);
    }

    private async Task ReloadDuringSlowRequest(EmperorHarness emperor, int port, IReadOnlyList<int> oldWorkers, Func<int, bool> isOld)
    {
        using var client = Http.Client(port);
        var slow = Http.GetFresh(client, $"slow?ms={SlowMs}");
        emperor.Server.WaitForLine(new Regex("slow request started"));

        var touched = Stopwatch.StartNew();
        File.SetLastWriteTimeUtc(Path.Combine(emperor.VassalDirectory, "one.ini"), DateTime.UtcNow.AddSeconds(5));
        emperor.Server.WaitForLine(new Regex("reloading vassal one.ini"));

        // Short probes on fresh connections until one is answered by a new worker.
        Dictionary<string, string>? answer = null;
        using var probes = Http.Client(port);
        probes.Timeout = TimeSpan.FromSeconds(1);
        while (answer is null && touched.Elapsed < TimeSpan.FromMilliseconds(SlowMs + 10_000))
        {
            try
            {
                var (status, body) = await Http.GetFresh(probes, "probe");
                var facts = Http.Facts(body);
                if (status == 200 && !isOld(int.Parse(facts["pid"])))
                {
                    answer = facts;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(50); // refused or unanswered: the new vassal is not serving yet
            }
        }

        var servedAfter = touched.Elapsed;
        output.WriteLine($"first answer from a new worker {servedAfter.TotalSeconds:F2} s after the touch");
        Assert.NotNull(answer);
        Assert.True(servedAfter < ServedWithin, $"the reloaded vassal first answered {servedAfter.TotalSeconds:F1} s after the touch");

        var (slowStatus, slowBody) = await slow;
        Assert.Equal(200, slowStatus);
        var slowFacts = Http.Facts(slowBody);
        Assert.Equal("/slow", slowFacts["path"]);
        Assert.Contains(int.Parse(slowFacts["pid"]), oldWorkers);
        Assert.DoesNotContain(int.Parse(answer["pid"]), oldWorkers);
        Assert.True(ProcessTree.WaitUntilGone(int.Parse(slowFacts["pid"]), TimeSpan.FromSeconds(20)), "the old worker did not exit after its request");
    }
}
