using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// uWSGI's worker lifecycle options on a real vassal, classic (under a plain Emperor) and adopted (from a fork-server
/// base): <c>harakiri</c>, <c>max-requests</c>, <c>max-worker-lifetime</c>, <c>reload-on-rss</c>, <c>lazy-apps</c>,
/// <c>cheaper</c>. The app, apps/lifecycle.psgi, tells which pid serves and which pid loaded it.
/// </summary>
public sealed class WorkerLifecycleTests
{
    private const string App = "lifecycle.psgi";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Harakiri_kills_a_worker_stuck_in_a_request_logs_its_line_and_a_new_worker_serves(bool adopted)
    {
        using var vassal = Vassal.Start(adopted, "processes = 1\nharakiri = 2\nharakiri-verbose = true");
        using var client = Http.Client(vassal.Port);
        int stuck = vassal.Workers()[0];

        var sleeping = Http.GetFresh(client, "sleep?s=600");
        var kill = vassal.Emperor.Server.WaitForLine(
            new Regex($@"HARAKIRI: worker 1 \(pid {stuck}\) stuck for ([\d.]+) s in ""GET /sleep\?s=600 HTTP/1\.1 from 127\.0\.0\.1"" \(harakiri 2 s\): killed"),
            Bound);
        Assert.InRange(double.Parse(kill.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 2, 30);
        vassal.Emperor.Server.WaitForLine(new Regex($@"HARAKIRI: worker 1 \(pid {stuck}\) was in syscall \S+"), Bound);
        vassal.Emperor.Server.WaitForLine(new Regex($@"worker 1 \(pid {stuck}\) ended after harakiri: signal 9"), Bound);

        // The stuck request's connection ends without a response; the next one gets a new worker.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sleeping);
        var (status, body) = await Http.GetFresh(client, "after");
        Assert.Equal(200, status);
        Assert.NotEqual(stuck.ToString(), Http.Facts(body)["pid"]);
        Assert.False(ProcessTree.IsAlive(stuck));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Max_requests_recycles_a_worker_after_n_requests_without_losing_one(bool adopted)
    {
        using var vassal = Vassal.Start(adopted, "processes = 1\nmax-requests = 3\nmin-worker-lifetime = 0");
        using var stop = new CancellationTokenSource(Bound);

        // Keep-alive: the third response of a worker ends its connection, the client connects anew; none fails.
        using (var keepAlive = new KeepAliveClient(vassal.Port))
        {
            for (int i = 0; i < 10; i++)
            {
                Assert.True(await keepAlive.Get(TimeSpan.FromSeconds(20), stop.Token), $"keep-alive request {i} failed");
            }
        }

        // Fresh connections: each worker serves three, then its successor.
        using var client = Http.Client(vassal.Port);
        var servedBy = new List<string>();
        for (int i = 0; i < 9; i++)
        {
            var (status, body) = await Http.GetFresh(client, $"fresh{i}");
            Assert.Equal(200, status);
            servedBy.Add(Http.Facts(body)["pid"]);
        }

        // 19 requests, 3 per worker: 6 workers recycled, each replaced at once rather than after a crash's pause.
        vassal.Emperor.Server.WaitForLine(new Regex(@"worker 1 \(pid \d+\) served 3 request\(s\) \(max-requests 3\): respawning"), Bound, skip: 5);
        Assert.All(servedBy.GroupBy(pid => pid), group => Assert.True(group.Count() <= 3, $"pid {group.Key} served {group.Count()}"));
        Assert.True(servedBy.Distinct().Count() >= 3);
        Assert.DoesNotContain("died after", vassal.Emperor.Server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_requests_waits_for_min_worker_lifetime()
    {
        using var vassal = Vassal.Start(adopted: false, "processes = 1\nmax-requests = 2\nmin-worker-lifetime = 600");
        using var client = Http.Client(vassal.Port);
        var pids = new HashSet<string>();
        for (int i = 0; i < 5; i++)
        {
            pids.Add(Http.Facts((await Http.GetFresh(client, "x")).Body)["pid"]);
        }

        Assert.Single(pids);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Max_worker_lifetime_replaces_an_old_worker_gracefully(bool adopted)
    {
        using var vassal = Vassal.Start(adopted, "processes = 1\nmax-worker-lifetime = 2");
        int first = vassal.Workers()[0];
        vassal.Emperor.Server.WaitForLine(new Regex($@"worker 1 \(pid {first}\) reached max-worker-lifetime \(2 s\): replacing it gracefully"), Bound);
        vassal.Emperor.Server.WaitForLine(new Regex($@"worker 1 \(pid {first}\) ended: exit code 0"), Bound);

        using var client = Http.Client(vassal.Port);
        var (status, body) = await Http.GetFresh(client, "x");
        Assert.Equal(200, status);
        Assert.NotEqual(first.ToString(), Http.Facts(body)["pid"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reload_on_rss_replaces_a_worker_that_grew(bool adopted)
    {
        using var vassal = Vassal.Start(adopted, "processes = 1\nreload-on-rss = 400\nmin-worker-lifetime = 0");
        using var client = Http.Client(vassal.Port);
        int first = vassal.Workers()[0];
        Assert.True(ResidentMb(first) < 400, $"the worker starts with {ResidentMb(first)} MB");

        // Serves on as it grows; the master notices within its tick and replaces it.
        Assert.Equal(200, (await Http.GetFresh(client, "grow?mb=500")).Status);
        vassal.Emperor.Server.WaitForLine(new Regex($@"worker 1 \(pid {first}\) uses \d+ MB resident, over reload-on-rss 400 MB: replacing it gracefully"), Bound);
        vassal.Emperor.Server.WaitForLine(new Regex($@"worker 1 \(pid {first}\) ended: exit code 0"), Bound);

        var (status, body) = await Http.GetFresh(client, "x");
        Assert.Equal(200, status);
        Assert.NotEqual(first.ToString(), Http.Facts(body)["pid"]);
    }

    [Fact]
    public async Task Lazy_apps_loads_the_application_in_each_worker()
    {
        using var vassal = Vassal.Start(adopted: false, "processes = 2\nlazy-apps = true\nneed-app = true\ncheaper = 1");
        var loads = await LoadedIn(vassal, workers: 2);
        Assert.All(loads, pair => Assert.Equal(pair.Key, pair.Value));
        vassal.Emperor.Server.WaitForLine(new Regex($@"\[pid {vassal.Master}\] master: cheaper = 1: accepted, but every one of the 2 worker\(s\) always runs"));
    }

    [Theory]
    [InlineData(false, "it was loaded early")]
    [InlineData(true, "the fork-server base loaded it")]
    public async Task Lazy_apps_says_when_the_application_is_already_loaded(bool adopted, string why)
    {
        using var vassal = Vassal.Start(adopted, "processes = 2\nlazy-apps = true", early: true);
        vassal.Emperor.Server.WaitForLine(new Regex($@"lazy-apps has no effect on psgi app \S+: {why}"));
        var loads = await LoadedIn(vassal, workers: 2);
        Assert.All(loads, pair => Assert.NotEqual(pair.Key, pair.Value));
    }

    /// <summary>Fresh connections until <paramref name="workers"/> distinct workers answered: pid to loading pid.</summary>
    private static async Task<Dictionary<string, string>> LoadedIn(Vassal vassal, int workers)
    {
        using var client = Http.Client(vassal.Port);
        var loads = new Dictionary<string, string>();
        var deadline = DateTime.UtcNow + Bound;
        while (loads.Count < workers && DateTime.UtcNow < deadline)
        {
            var facts = Http.Facts((await Http.GetFresh(client, "x")).Body);
            loads[facts["pid"]] = facts["loaded_in"];
        }

        Assert.Equal(workers, loads.Count);
        return loads;
    }

    private static long ResidentMb(int pid)
        => long.Parse(File.ReadAllText($"/proc/{pid}/statm").Split(' ')[1]) * Environment.SystemPageSize / (1024 * 1024);

    /// <summary>A vassal serving apps/lifecycle.psgi under its own Emperor, classic or adopted from a fork-server base.</summary>
    private sealed class Vassal : IDisposable
    {
        private Vassal(EmperorHarness emperor, int master, int port)
        {
            Emperor = emperor;
            Master = master;
            Port = port;
        }

        public EmperorHarness Emperor { get; }

        public int Master { get; }

        public int Port { get; }

        /// <param name="adopted">From a fork-server base (which loads the app early), or classic.</param>
        /// <param name="options">The vassal's lifecycle options, ini lines.</param>
        /// <param name="early">A classic vassal loads the app with <c>early-psgi</c> rather than <c>psgi</c>.</param>
        public static Vassal Start(bool adopted, string options, bool early = false)
        {
            EmperorHarness emperor;
            if (adopted)
            {
                string socket = "@forkserver-lifecycle-" + Guid.NewGuid().ToString("N")[..8];
                emperor = new EmperorHarness("--emperor-use-fork-server", socket, "--vassal-fork-base", "base.ini");
                emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App(App)}\nfork-server = {socket}\n");
                emperor.Server.WaitForLine(new Regex("fork server \\d+ ready"));
            }
            else
            {
                emperor = new EmperorHarness();
            }

            try
            {
                string load = adopted ? "" : $"plugins = psgi\n{(early ? "early-psgi" : "psgi")} = {RepositoryLayout.App(App)}\n";
                emperor.DropFile("app.ini", $"[uwsgi]\nhttp-socket = 127.0.0.1:0\n{load}{options}\n");
                int master = emperor.WaitAccepting("app.ini");
                int port = emperor.PortOf(master);
                emperor.Server.WaitForLine(new Regex($@"\[pid {master}\] master: all \d+ worker\(s\) accepting"));
                return new Vassal(emperor, master, port);
            }
            catch
            {
                emperor.Dispose();
                throw;
            }
        }

        public IReadOnlyList<int> Workers() => ProcessTree.ChildrenOf(Master);

        public void Dispose() => Emperor.Dispose();
    }
}
