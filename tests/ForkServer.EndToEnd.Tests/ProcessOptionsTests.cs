using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// The process and environment options (issue 13): <c>env</c>, <c>unenv</c>, the <c>PLACK_ENV</c> default,
/// <c>pidfile</c>, <c>pidfile2</c>, <c>vacuum</c> and the <c>procname</c> family, for a classic vassal and for one
/// adopted from a fork-server base (whose application, and so whose <c>%ENV</c>, the base made), and standalone.
/// </summary>
public sealed class ProcessOptionsTests
{
    private const string App = "process_facts.psgi";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static bool IsRoot => Environment.UserName == "root";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Env_pidfiles_and_process_names_apply_to_the_master_and_every_worker(bool adopted)
    {
        // FS_DROP comes from the Emperor's environment: the base's perl has it in %ENV, and the vassal removes it.
        using var emperor = StartEmperor(adopted, new Dictionary<string, string> { ["FS_DROP"] = "inherited" });
        string root = Path.Combine(emperor.Scratch, "run");
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, (UnixFileMode)0x1ff); // pidfile2 is written, and both removed, as the vassal's user
        string identity = IsRoot ? "uid = 1001\ngid = 1001\n" : "";
        string ini = emperor.DropFile("app.ini", Ini(adopted, $"""
            processes = 2
            env = FS_SET=from the ini
            unenv = FS_DROP
            pidfile = {root}/master.pid
            pidfile2 = {root}/master2.pid
            vacuum = true
            procname-master = shop master
            procname = shop worker
            {identity}
            """));

        int master = emperor.WaitAccepting("app.ini");
        var answers = await AskEveryWorker(emperor, master);

        foreach (var facts in answers.Values)
        {
            Assert.Equal("from the ini", facts["env:FS_SET"]);
            Assert.Equal("(unset)", facts["env:FS_DROP"]);
            Assert.Equal("deployment", facts["env:PLACK_ENV"]);
        }

        Assert.Equal($"{master}\n", File.ReadAllText(Path.Combine(root, "master.pid")));
        Assert.Equal($"{master}\n", File.ReadAllText(Path.Combine(root, "master2.pid")));
        Assert.Equal("shop master", CommandLine(master));
        var workers = ProcessTree.ChildrenOf(master);
        Assert.Equal(2, workers.Count);
        Assert.All(workers, worker => Assert.Equal("shop worker", CommandLine(worker)));

        // A reload: a classic master re-executes itself (same pid, its own arguments, not its name); an adopted one
        // exits and its successor writes its own pid, which the predecessor's vacuum must leave alone.
        File.SetLastWriteTimeUtc(ini, DateTime.UtcNow.AddSeconds(5));
        emperor.Server.WaitForLine(new Regex("reloading vassal app.ini"));
        int next = emperor.WaitAccepting("app.ini", occurrence: 1);
        if (adopted)
        {
            Assert.NotEqual(master, next);
            Assert.True(ProcessTree.WaitUntilGone(master, Bound), $"reloaded vassal master {master} did not exit");
        }
        else
        {
            Assert.Equal(master, next);
        }

        Assert.Equal($"{next}\n", File.ReadAllText(Path.Combine(root, "master.pid")));
        Assert.Equal($"{next}\n", File.ReadAllText(Path.Combine(root, "master2.pid")));
        Assert.Equal("shop master", CommandLine(next));

        // vacuum: the master removes its pidfiles when it stops.
        File.Delete(ini);
        Assert.True(ProcessTree.WaitUntilGone(next, Bound), $"vassal master {next} did not stop");
        Assert.False(File.Exists(Path.Combine(root, "master.pid")), "pidfile left behind");
        Assert.False(File.Exists(Path.Combine(root, "master2.pid")), "pidfile2 left behind");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_procname_the_vassal_shows_its_own_arguments_and_its_env_overrides_PLACK_ENV(bool adopted)
    {
        using var emperor = StartEmperor(adopted, new Dictionary<string, string>());
        emperor.DropFile("app.ini", Ini(adopted, "processes = 2\nenv = PLACK_ENV=staging\n"));

        int master = emperor.WaitAccepting("app.ini");
        var answers = await AskEveryWorker(emperor, master);

        Assert.All(answers.Values, facts => Assert.Equal("staging", facts["env:PLACK_ENV"]));
        foreach (int pid in ProcessTree.ChildrenOf(master).Prepend(master))
        {
            string commandLine = CommandLine(pid);
            Assert.Contains("app.ini", commandLine, StringComparison.Ordinal);
            Assert.DoesNotContain("base.ini", commandLine, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_standalone_vassal_writes_its_pidfile_names_itself_and_vacuums_on_exit()
    {
        using var dir = new TempDirectory();
        string pidfile = Path.Combine(dir.Path, "app.pid");
        File.WriteAllText(Path.Combine(dir.Path, "app.ini"), $"""
            [uwsgi]
            plugins = psgi
            psgi = {RepositoryLayout.App(App)}
            http-socket = 127.0.0.1:0
            processes = 1
            pidfile = {pidfile}
            vacuum = true
            auto-procname = true
            procname-prefix-spaced = [shop]
            """);

        var (server, _) = ForkServerProcess.StartServing(dir.Path, "--ini", "app.ini");
        using (server)
        {
            Assert.Equal($"{server.Pid}\n", File.ReadAllText(pidfile));
            Assert.Equal("[shop] forkserver master", CommandLine(server.Pid));
            Assert.Equal("[shop] forkserver worker 1", CommandLine(ProcessTree.ChildrenOf(server.Pid).Single()));

            server.Signal(ProcessTree.SIGINT);
            Assert.Equal(0, server.WaitForExit(Bound));
            Assert.False(File.Exists(pidfile), "pidfile left behind");
        }
    }

    /// <summary>Fresh connections until both workers answered; their facts by pid.</summary>
    private static async Task<Dictionary<string, Dictionary<string, string>>> AskEveryWorker(EmperorHarness emperor, int master)
    {
        emperor.Server.WaitForLine(new Regex($@"\[pid {master}\] master: all 2 worker\(s\) accepting"));
        using var client = Http.Client(emperor.PortOf(master));
        var answers = new Dictionary<string, Dictionary<string, string>>();
        var deadline = DateTime.UtcNow + Bound;
        while (answers.Count < 2 && DateTime.UtcNow < deadline)
        {
            var facts = Http.Facts((await Http.GetFresh(client, "/")).Body);
            answers[facts["pid"]] = facts;
        }

        Assert.Equal(2, answers.Count);
        return answers;
    }

    /// <summary>/proc/&lt;pid&gt;/cmdline as ps shows it: arguments joined by spaces.</summary>
    private static string CommandLine(int pid)
        => File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');

    private static EmperorHarness StartEmperor(bool adopted, IReadOnlyDictionary<string, string> environment)
    {
        if (!adopted)
        {
            return new EmperorHarness(environment);
        }

        string socket = "@forkserver-process-options-" + Guid.NewGuid().ToString("N")[..8];
        var emperor = new EmperorHarness(environment, "--emperor-use-fork-server", socket, "--vassal-fork-base", "base.ini");
        emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App(App)}\nfork-server = {socket}\n");
        emperor.Server.WaitForLine(new Regex("fork server \\d+ ready"));
        return emperor;
    }

    // The application comes from the base when adopted; a classic vassal loads it itself.
    private static string Ini(bool adopted, string options)
        => $"[uwsgi]\nhttp-socket = 127.0.0.1:0\n{options}\n" + (adopted ? "" : $"plugins = psgi\npsgi = {RepositoryLayout.App(App)}\n");
}
