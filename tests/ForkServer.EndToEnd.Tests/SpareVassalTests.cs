using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// The base's spare vassal: a copy forked before any request, with its own first worker, that an adoption turns
/// into the requested vassal without a fork; what happens when one dies while it waits, and when its worker cannot
/// start the vassal.
/// </summary>
public sealed class SpareVassalTests : IDisposable
{
    private static readonly Regex SpareReady = new(@"fork-server: spare vassal (\d+) waits for a request");
    private readonly string _socket = "@forkserver-spare-" + Guid.NewGuid().ToString("N")[..8];
    private readonly EmperorHarness _emperor;

    public SpareVassalTests()
    {
        _emperor = new EmperorHarness("--emperor-use-fork-server", _socket, "--vassal-fork-base", "base.ini");
        _emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("hello.psgi")}\nfork-server = {_socket}\n");
    }

    public void Dispose() => _emperor.Dispose();

    [Fact]
    public async Task The_adopted_vassal_is_the_spare_that_waited_and_its_first_worker_the_spares_worker()
    {
        int spare = int.Parse(_emperor.Server.WaitForLine(SpareReady).Groups[1].Value);
        Assert.Equal(_emperor.Server.Pid, ProcessTree.ParentOf(spare)); // detached: already the Emperor's child
        int spareWorker = Assert.Single(ProcessTree.ChildrenOf(spare));

        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 2\n");
        int master = _emperor.WaitAccepting("one.ini");

        Assert.Equal(spare, master);
        _emperor.Server.WaitForLine(new Regex($@"\[pid {master}\] master: worker 1 \(pid {spareWorker}\) forked while the vassal waited"));
        _emperor.Server.WaitForLine(new Regex($@"\[pid {master}\] master: all 2 worker"));
        Assert.Contains(spareWorker, ProcessTree.ChildrenOf(master));
        using var client = Http.Client(_emperor.PortOf(master));
        Assert.Equal(200, (await Http.GetFresh(client, "")).Status);

        // The base forks the next spare once it has been quiet for a moment.
        int next = int.Parse(_emperor.Server.WaitForLine(SpareReady, skip: 1).Groups[1].Value);
        Assert.NotEqual(spare, next);
    }

    [Fact]
    public async Task A_spare_killed_while_it_waits_takes_its_worker_along_and_the_next_adoption_forks_another()
    {
        int spare = int.Parse(_emperor.Server.WaitForLine(SpareReady).Groups[1].Value);
        int spareWorker = Assert.Single(ProcessTree.ChildrenOf(spare));

        ProcessTree.Signal(spare, ProcessTree.SIGKILL);
        _emperor.Server.WaitForLine(new Regex("the spare vassal died before any request"));
        Assert.True(ProcessTree.WaitUntilGone(spareWorker, TimeSpan.FromSeconds(10)), "the spare's worker outlived it");

        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 2\n");
        int master = _emperor.WaitAccepting("one.ini");
        Assert.NotEqual(spare, master);
        using var client = Http.Client(_emperor.PortOf(master));
        Assert.Equal(200, (await Http.GetFresh(client, "")).Status);
        Assert.False(ProcessTree.IsAlive(spare));
    }

    [Fact]
    public async Task A_port_the_spare_worker_cannot_bind_fails_the_vassal_in_its_masters_words_and_the_next_adoption_works()
    {
        int spare = int.Parse(_emperor.Server.WaitForLine(SpareReady).Groups[1].Value);
        int spareWorker = Assert.Single(ProcessTree.ChildrenOf(spare));
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        _emperor.DropFile("one.ini", $"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nprocesses = 2\n");

        // The worker says why at debug level and ends; its master binds, fails and says where the setting came from.
        _emperor.Server.WaitForLine(new Regex($@"\[pid {spareWorker}\] spare worker: cannot start \(.*cannot listen on http-socket 127\.0\.0\.1:{port}.*\); its master starts worker 1 itself"));
        _emperor.Server.WaitForLine(new Regex($@"\[pid {spare}\] adopted: adopted vassal .*one\.ini cannot start: .*one\.ini.*cannot listen on http-socket 127\.0\.0\.1:{port}"));
        Assert.True(ProcessTree.WaitUntilGone(spareWorker, TimeSpan.FromSeconds(10)), "the spare worker outlived its failed vassal");

        _emperor.DropFile("two.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 1\n");
        int two = _emperor.WaitAccepting("two.ini");
        using var client = Http.Client(_emperor.PortOf(two));
        Assert.Equal(200, (await Http.GetFresh(client, "")).Status);
    }
}
