using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>One vassal (master + workers) serving a PSGI app: start, serve, respawn, stop, reload, master death.</summary>
public sealed class VassalLifecycleTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (ForkServerProcess Server, int Port) StartInfoApp(int processes, string extra = "")
    {
        string ini = _dir.Write("app.ini", $"""
            [uwsgi]
            plugins = psgi
            http-socket = 127.0.0.1:0
            processes = {processes}
            psgi = {RepositoryLayout.App("info.psgi")}
            {extra}
            """);
        return ForkServerProcess.StartServing(_dir.Path, "--ini", ini);
    }

    [Fact]
    public async Task Workers_are_forked_from_the_master_that_loaded_the_app_and_get_their_own_pid_and_random_seed()
    {
        var (server, port) = StartInfoApp(processes: 2);
        using var _ = server;
        using var client = Http.Client(port);

        // While worker A sleeps in the app, worker B must take the next connection.
        var slow = Http.GetFresh(client, "slow?ms=1500");
        server.WaitForLine(new("slow request started"));
        var (status, body) = await Http.GetFresh(client, "info");
        var (slowStatus, slowBody) = await slow;

        Assert.Equal(200, status);
        Assert.Equal(200, slowStatus);
        var a = Http.Facts(slowBody);
        var b = Http.Facts(body);
        var workers = ProcessTree.ChildrenOf(server.Pid);
        Assert.Equal(2, workers.Count);
        Assert.Equal(workers.Order(), new[] { int.Parse(a["pid"]), int.Parse(b["pid"]) }.Order());
        Assert.Equal(server.Pid.ToString(), a["loaded_in"]);
        Assert.Equal(server.Pid.ToString(), b["loaded_in"]);
        Assert.NotEqual(a["rand"], b["rand"]);
    }

    [Fact]
    public async Task A_killed_worker_is_respawned_and_serves()
    {
        var (server, port) = StartInfoApp(processes: 2);
        using var _ = server;
        var before = ProcessTree.ChildrenOf(server.Pid);

        ProcessTree.Signal(before[0], ProcessTree.SIGKILL);
        server.WaitForLine(ForkServerProcess.AllReadyLine(), skip: 1);

        var after = ProcessTree.ChildrenOf(server.Pid);
        Assert.Equal(2, after.Count);
        Assert.DoesNotContain(before[0], after);
        Assert.Contains(before[1], after);
        using var client = Http.Client(port);
        Assert.Equal(200, (await Http.GetFresh(client, "info")).Status);
        Assert.Matches("worker 1 .*died.*signal 9|worker 2 .*died.*signal 9", server.Output);
    }

    [Fact]
    public async Task Sigterm_lets_the_request_in_flight_finish_then_the_master_exits_0()
    {
        var (server, port) = StartInfoApp(processes: 1);
        using var _ = server;
        using var client = Http.Client(port);

        var slow = Http.GetFresh(client, "slow?ms=1000");
        server.WaitForLine(new("slow request started"));
        server.Signal(ProcessTree.SIGTERM);

        Assert.Equal(200, (await slow).Status);
        Assert.Equal(0, server.WaitForExit());
    }

    [Fact]
    public void Sighup_replaces_every_worker_without_refusing_a_connection()
    {
        var (server, port) = StartInfoApp(processes: 2);
        using var _ = server;
        var before = ProcessTree.ChildrenOf(server.Pid);
        var started = DateTime.UtcNow;
        using var clients = new ClientLoop(new Dictionary<string, int> { ["app"] = port });
        clients.WaitServing("app", started, TimeSpan.FromSeconds(20));

        server.Signal(ProcessTree.SIGHUP);
        server.WaitForLine(ForkServerProcess.AllReadyLine(), skip: 1);
        server.WaitForLine(new("worker .* ended"), skip: 1);

        var ended = DateTime.UtcNow;
        Assert.Equal(0, clients.Failed("app", started, ended));
        Assert.True(clients.Succeeded("app", started, ended) > 0);
        var after = ProcessTree.ChildrenOf(server.Pid);
        Assert.Empty(after.Intersect(before));
    }

    [Fact]
    public void When_the_master_dies_its_workers_exit()
    {
        var (server, _) = StartInfoApp(processes: 2);
        using var _ = server;
        var workers = ProcessTree.ChildrenOf(server.Pid);

        server.Signal(ProcessTree.SIGKILL);

        Assert.All(workers, w => Assert.True(ProcessTree.WaitUntilGone(w, TimeSpan.FromSeconds(10)), $"worker {w} outlived its master"));
    }

    [Fact]
    public async Task Workers_drop_to_the_configured_uid_and_gid_with_no_supplementary_groups()
    {
        if (Environment.UserName != "root")
        {
            return; // Dropping privileges needs root; CI runs as root.
        }

        var (server, port) = StartInfoApp(processes: 2, extra: "uid = 65534\ngid = 65534");
        using var _ = server;
        using var client = Http.Client(port);

        var facts = Http.Facts((await Http.GetFresh(client, "info")).Body);
        Assert.Equal("65534", facts["uid"]);
        foreach (int worker in ProcessTree.ChildrenOf(server.Pid))
        {
            Assert.Equal("65534\t65534\t65534\t65534", ProcessTree.StatusField(worker, "Uid"));
            Assert.Equal("65534\t65534\t65534\t65534", ProcessTree.StatusField(worker, "Gid"));
            Assert.Equal("", ProcessTree.StatusField(worker, "Groups"));
        }
    }

    [Fact]
    public async Task Logto_sends_the_server_log_and_the_app_output_to_a_file()
    {
        string log = Path.Combine(_dir.Path, "vassal.log");
        string ini = _dir.Write("app.ini", $"""
            [uwsgi]
            plugins = psgi
            http-socket = 127.0.0.1:0
            psgi = {RepositoryLayout.App("info.psgi")}
            logto = {log}
            """);
        using var server = ForkServerProcess.Start(_dir.Path, "--ini", ini);
        int port = PortOnceServing(log);
        using var client = Http.Client(port);
        await Http.GetFresh(client, "slow?ms=1");
        server.Signal(ProcessTree.SIGTERM);
        Assert.Equal(0, server.WaitForExit());
        Assert.Contains("slow request started", File.ReadAllText(log));
        Assert.DoesNotContain("worker(s) accepting", server.Output);
    }

    [Fact]
    public async Task Output_redirected_to_a_plain_file_keeps_every_line_of_every_process()
    {
        string log = Path.Combine(_dir.Path, "redirected.log");
        string ini = _dir.Write("app.ini", $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\nprocesses = 2\npsgi = {RepositoryLayout.App("info.psgi")}\n");
        using var server = ForkServerProcess.StartProgram("/bin/sh", _dir.Path, "-c", $"exec '{RepositoryLayout.ForkServerBinary}' --ini '{ini}' > '{log}' 2>&1");
        int port = PortOnceServing(log);
        using var client = Http.Client(port);
        await Http.GetFresh(client, "slow?ms=1");
        server.Signal(ProcessTree.SIGTERM);
        Assert.Equal(0, server.WaitForExit());

        // A process writing at its own idea of the file position would overwrite the others' lines (server log,
        // the workers' request log, the app's output).
        var lines = File.ReadAllLines(log);
        Assert.Contains(lines, l => l == "slow request started");
        Assert.Equal(2, lines.Count(l => l.Contains("] master: spawned worker")));
        Assert.All(lines, l => Assert.Matches(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[\w{3}\] \[pid \d+\] |\[pid: \d+\|app: 0\|req: \d+/\d+\] .* \(HTTP/1\.1 200\) |slow request started$)", l));
    }

    /// <summary>Waits (bounded, woken by file changes) until <paramref name="log"/> says every worker accepts; returns the port it names.</summary>
    private static int PortOnceServing(string log)
    {
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(log)!, Path.GetFileName(log)) { EnableRaisingEvents = true };
        var deadline = DateTime.UtcNow + ForkServerProcess.DefaultTimeout;
        while (!(File.Exists(log) && File.ReadAllText(log).Contains("worker(s) accepting")))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{log} never said the workers accept");
            watcher.WaitForChanged(WatcherChangeTypes.All, 500);
        }

        return int.Parse(ForkServerProcess.ServingLine().Match(File.ReadAllText(log)).Groups["port"].Value);
    }
}
