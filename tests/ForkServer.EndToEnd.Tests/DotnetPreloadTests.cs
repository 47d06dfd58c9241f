using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// The .NET loader (plugins = dotnet) with the real binary: an ASP.NET Core app preloaded once, in a classic vassal's
/// master and in a fork-server base, served by Kestrel in forked workers; and the base's refusal to fork an app
/// that started threads before app.Run().
/// </summary>
public sealed class DotnetPreloadTests
{
    [Fact]
    public async Task A_classic_vassal_preloads_the_unchanged_template_once_and_serves_it_from_every_worker()
    {
        using var dir = new TempDirectory();
        var (server, port) = ForkServerProcess.StartServing(dir.Path,
            "--plugins", "dotnet", "--early-dotnet", DotnetApps.Hello, "--http-socket", "127.0.0.1:0", "--processes", "2");
        using (server)
        {
            using var client = Http.Client(port);
            for (int i = 0; i < 4; i++)
            {
                var (status, body) = await Http.GetFresh(client, "");
                Assert.Equal(200, status);
                Assert.Equal("Hello World!", body);
            }

            Assert.Single(Regex.Matches(server.Output, "dotnet-hello.dll preloaded"));
            Assert.Equal(2, ProcessTree.ChildrenOf(server.Pid).Count);

            server.Signal(ProcessTree.SIGTERM);
            Assert.Equal(0, server.WaitForExit());
            Assert.Equal(2, Regex.Matches(server.Output, @"worker \d \(pid \d+\) ended: exit code 0").Count);
        }
    }

    [Fact]
    public async Task Adopted_vassals_start_the_host_the_base_built_in_each_of_their_workers_as_their_own_user()
    {
        string socket = "@forkserver-e2e-dotnet-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = new EmperorHarness("--emperor-use-fork-server", socket, "--vassal-fork-base", "dotnetbase.ini");
        emperor.DropFile("dotnetbase.ini", $"[uwsgi]\nplugins = dotnet\nearly-dotnet = {DotnetApps.Violations}\nfork-server = {socket}\n");
        emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 2\n");
        // Switching users needs root (CI runs as root): then two.ini's workers must run as 1001.
        bool root = Environment.UserName == "root";
        emperor.DropFile("two.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 3\n" + (root ? "uid = 1001\ngid = 1001\n" : ""));
        int one = emperor.WaitAccepting("one.ini");
        int two = emperor.WaitAccepting("two.ini");
        emperor.Server.WaitForLine(new Regex($"\\[pid {one}\\] master: all 2 worker"));
        emperor.Server.WaitForLine(new Regex($"\\[pid {two}\\] master: all 3 worker"));

        Assert.Single(Regex.Matches(emperor.Server.Output, "preload-violations.dll preloaded"));
        Assert.Equal(emperor.Server.Pid, ProcessTree.ParentOf(one));
        foreach (var (master, workers) in new[] { (one, 2), (two, 3) })
        {
            var expected = ProcessTree.ChildrenOf(master).ToHashSet();
            Assert.Equal(workers, expected.Count);
            using var client = Http.Client(emperor.PortOf(master));
            var served = new HashSet<int>();
            for (int i = 0; i < 40 && served.Count < workers; i++)
            {
                var (status, body) = await Http.GetFresh(client, "");
                Assert.Equal(200, status);
                served.Add(int.Parse(body.Trim()["pid ".Length..]));
            }

            Assert.Subset(expected, served);
        }

        if (root)
        {
            Assert.All(ProcessTree.ChildrenOf(two), worker => Assert.Equal("1001\t1001\t1001\t1001", ProcessTree.StatusField(worker, "Uid")));
        }

        emperor.Server.WaitForLine(new Regex("vassal one.ini \\(pid \\d+\\) is now loyal"));
    }

    [Fact]
    public async Task A_spare_worker_rehearses_its_server_before_adoption_leaves_nothing_listening_and_serves_once_adopted()
    {
        string socket = "@forkserver-e2e-dotnet-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = new EmperorHarness("--emperor-use-fork-server", socket, "--vassal-fork-base", "dotnetbase.ini");
        emperor.DropFile("dotnetbase.ini", $"[uwsgi]\nplugins = dotnet\nearly-dotnet = {DotnetApps.Hello}\nfork-server = {socket}\n");
        int spare = int.Parse(emperor.Server.WaitForLine(new Regex(@"spare vassal (\d+) waits for a request")).Groups[1].Value);
        int spareWorker = Assert.Single(ProcessTree.ChildrenOf(spare));
        emperor.Server.WaitForLine(new Regex($@"\[pid {spareWorker}\] .*a throwaway server started, served and stopped"));
        Assert.Empty(ProcessTree.ListeningTcpSockets(spareWorker));

        emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 1\n");
        int master = emperor.WaitAccepting("one.ini");
        Assert.Equal(spare, master);
        Assert.Equal([spareWorker], ProcessTree.ChildrenOf(master));
        using var client = Http.Client(emperor.PortOf(master));
        var (status, body) = await Http.GetFresh(client, "");
        Assert.Equal(200, status);
        Assert.Equal("Hello World!", body);
    }

    [Theory]
    [InlineData("thread", "thread \\d+ 'index-refresher': a thread the application started")]
    [InlineData("timer", "'.NET Timer': a timer")]
    [InlineData("threadpool", "'.NET TP Worker': the thread pool")]
    [InlineData("console-logging", "console logging")]
    public void A_base_refuses_to_fork_an_app_that_started_threads_before_run_and_names_the_culprit(string violation, string culprit)
    {
        using var dir = new TempDirectory();
        using var server = ForkServerProcess.Start(dir.Path,
            "--plugins", "dotnet", "--early-dotnet", DotnetApps.Violations, "--dotnet-arg", $"violation={violation}",
            "--fork-server", "@forkserver-e2e-refusal-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.Equal(1, server.WaitForExit());
        Assert.Matches(new Regex($"refusing to fork: preload-violations.dll started \\d+ thread\\(s\\) during Main.*{culprit}"), server.Output);
        Assert.DoesNotContain("fork server", server.Output);
    }

    [Fact]
    public void A_worker_whose_host_does_not_start_is_killed_at_the_ready_deadline_logged_and_dies_with_its_master()
    {
        using var dir = new TempDirectory();
        using var server = ForkServerProcess.Start(dir.Path,
            "--plugins", "dotnet", "--early-dotnet", DotnetApps.Violations, "--dotnet-arg", "violation=hang-at-start",
            "--http-socket", "127.0.0.1:0", "--processes", "1");

        server.WaitForLine(new Regex(@"worker 1 \(pid \d+\) did not report ready within 10 s: killed"), TimeSpan.FromSeconds(40));
        server.WaitForLine(new Regex(@"worker 1 \(pid \d+\) died after \d+ ms: signal 9"), TimeSpan.FromSeconds(10));

        // Its replacement hangs in its start too; it must not outlive the master.
        int respawned = int.Parse(server.WaitForLine(new Regex(@"spawned worker 1 \(pid (\d+)\)"), skip: 1).Groups[1].Value);
        server.Signal(ProcessTree.SIGKILL);
        Assert.True(ProcessTree.WaitUntilGone(respawned, TimeSpan.FromSeconds(10)), $"worker {respawned}, hung in its start, outlived its master");
    }

    [Fact]
    public async Task Ten_adoptions_in_a_row_each_serve_and_go()
    {
        string socket = "@forkserver-e2e-dotnet-row-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = new EmperorHarness("--emperor-use-fork-server", socket, "--vassal-fork-base", "dotnetbase.ini");
        emperor.DropFile("dotnetbase.ini", $"[uwsgi]\nplugins = dotnet\nearly-dotnet = {DotnetApps.Hello}\nfork-server = {socket}\n");
        for (int i = 0; i < 10; i++)
        {
            string name = $"row{i}.ini";
            emperor.DropFile(name, "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 1\n");
            int master = emperor.WaitAccepting(name);
            using (var client = Http.Client(emperor.PortOf(master)))
            {
                Assert.Equal((200, "Hello World!"), await Http.GetFresh(client, ""));
            }

            File.Delete(Path.Combine(emperor.VassalDirectory, name));
            Assert.True(ProcessTree.WaitUntilGone(master, TimeSpan.FromSeconds(20)), $"adoption {i} (pid {master}) did not stop");
        }
    }
}
