using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// The adoption path's rule (src/Kernel/Warmup/JitFreePath.cs): from the pid reply to the first response, an
/// adopted master, its spare worker and the workers it forks compile no method; each logs how many it did.
/// </summary>
public sealed class JitFreePathTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _socket = "@forkserver-jit-" + Guid.NewGuid().ToString("N")[..8];
    private readonly EmperorHarness _emperor;

    public JitFreePathTests()
    {
        _emperor = new EmperorHarness("--emperor-use-fork-server", _socket, "--vassal-fork-base", "base.ini");
        _emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("hello.psgi")}\nfork-server = {_socket}\n");
    }

    public void Dispose() => _emperor.Dispose();

    [Fact]
    public async Task An_adopted_master_its_spare_worker_and_its_forked_worker_compile_no_method_before_their_first_response()
    {
        // The rule holds for the binary as shipped: a plain solution build leaves the kernel to the JIT everywhere.
        Assert.True(RepositoryLayout.IsReadyToRun, "artifacts/forkserver is not the ReadyToRun build: run bash scripts/build-release.sh (scripts/test.sh does)");
        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 2\n");
        int master = _emperor.WaitAccepting("one.ini");
        _emperor.Server.WaitForLine(new Regex($@"\[pid {master}\] master: worker 1 \(pid \d+\) forked while the vassal waited"));
        var masterReady = _emperor.Server.WaitForLine(new Regex($@"\[pid {master}\] master: JIT-free path: master ready, (\d+) method"));

        // Fresh connections until both workers (the spare worker as worker 1, and worker 2) have answered once.
        var firstResponse = new Regex(@"\[pid (\d+)\] worker (\d): JIT-free path: worker \d sent its first response, (\d+) method");
        var workers = ProcessTree.ChildrenOf(master);
        Assert.Equal(2, workers.Count);
        using var client = Http.Client(_emperor.PortOf(master));
        var deadline = DateTime.UtcNow + Bound;
        Dictionary<int, long> compiled;
        do
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Http.GetFresh(client, "")));
            compiled = firstResponse.Matches(_emperor.Server.Output)
                .Where(m => workers.Contains(int.Parse(m.Groups[1].Value)))
                .ToDictionary(m => int.Parse(m.Groups[1].Value), m => long.Parse(m.Groups[3].Value));
        }
        while (compiled.Count < workers.Count && DateTime.UtcNow < deadline);

        Assert.Equal(workers.Order(), compiled.Keys.Order());
        Assert.Equal("0", masterReady.Groups[1].Value);
        Assert.All(compiled, worker => Assert.True(worker.Value == 0, $"worker pid {worker.Key} compiled {worker.Value} method(s) before its first response"));
    }
}
