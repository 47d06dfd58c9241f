using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// An adopted vassal honours every option a classic one does: the same option set (<c>logto</c>, <c>chdir</c>,
/// <c>uid</c>, <c>gid</c>, <c>processes</c>) is run both ways, classic under a plain Emperor and adopted under one with a
/// fork-server base, and what each process sees is compared; a bad value fails both with the same message, naming
/// the ini line.
/// </summary>
public sealed class AdoptedOptionsTests
{
    private const string App = "process_facts.psgi";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static bool IsRoot => Environment.UserName == "root";

    [Fact]
    public async Task Classic_and_adopted_vassals_see_the_same_log_file_directory_and_identity()
    {
        var classic = await Observe(adopted: false);
        var adopted = await Observe(adopted: true);

        Assert.Equal(classic, adopted);

        // And both as the options say, not merely alike.
        Assert.Equal("ROOT/work", classic["cwd"]);
        Assert.Equal("ROOT/vassal.log", classic["stdio"]);
        Assert.Equal("yes", classic["app stderr in the log file"]);
        Assert.Equal("no", classic["app stderr in the Emperor's log"]);
        if (IsRoot)
        {
            Assert.Equal("1001 1001", classic["ids"]);
        }
    }

    [Theory]
    [InlineData("chdir = /nonexistent", "cannot chdir to /nonexistent")]
    [InlineData("logto = /nonexistent/vassal.log", "cannot log to /nonexistent/vassal.log")]
    public void A_bad_value_fails_classic_and_adopted_vassals_with_the_same_message(string option, string error)
    {
        string Failure(bool adopted)
        {
            using var emperor = StartEmperor(adopted);
            emperor.DropFile("app.ini", Ini(adopted, option));
            var line = emperor.Server.WaitForLine(new Regex($@"\[FTL\] .*?(\S*app\.ini:\d+: {Regex.Escape(error)}.*)$"));

            // The same error whichever way the vassal came; the path of the ini differs with the Emperor's folder.
            return line.Groups[1].Value.Replace(emperor.VassalDirectory + "/", "", StringComparison.Ordinal);
        }

        string classic = Failure(adopted: false);
        Assert.Equal(classic, Failure(adopted: true));
        Assert.StartsWith("app.ini:", classic, StringComparison.Ordinal);
    }

    /// <summary>Starts the vassal one way and returns what its master, its workers and its application see.</summary>
    private static async Task<Dictionary<string, string>> Observe(bool adopted)
    {
        using var emperor = StartEmperor(adopted);
        string root = Path.Combine(emperor.Scratch, adopted ? "adopted" : "classic");
        Directory.CreateDirectory(Path.Combine(root, "work"));
        File.SetUnixFileMode(root, (UnixFileMode)0x1ed);
        string log = Path.Combine(root, "vassal.log");
        string identity = IsRoot ? "uid = 1001\ngid = 1001\n" : "";
        emperor.DropFile("app.ini", Ini(adopted, $"processes = 2\nlogto = {log}\nchdir = {root}/work\n{identity}"));

        int master = emperor.WaitAccepting("app.ini");
        int port = int.Parse(WaitInFile(log, new Regex($@"master {master} serving .* on http://127\.0\.0\.1:(\d+)")).Groups[1].Value);
        WaitInFile(log, new Regex($@"\[pid {master}\] master: all 2 worker\(s\) accepting"));
        var processes = ProcessTree.ChildrenOf(master).Prepend(master).ToList();

        // Fresh connections until both workers answered; each answer also writes a marked line to the app's stderr.
        string marker = "m" + Guid.NewGuid().ToString("N")[..12];
        var answers = new Dictionary<string, Dictionary<string, string>>();
        using var client = Http.Client(port);
        var deadline = DateTime.UtcNow + Bound;
        while (answers.Count < 2 && DateTime.UtcNow < deadline)
        {
            var facts = Http.Facts((await Http.GetFresh(client, $"?marker={marker}")).Body);
            answers[facts["pid"]] = facts;
        }

        Assert.Equal(2, answers.Count);
        foreach (string pid in answers.Keys)
        {
            WaitInFile(log, new Regex($"^stderr marker {marker} from {pid}$", RegexOptions.Multiline));
        }

        if (adopted)
        {
            // New code on the adoption path (the log file, the directory) is compiled by the base's warm-up, not here.
            Assert.Equal("0", WaitInFile(log, new Regex($@"\[pid {master}\] master: JIT-free path: master ready, (\d+) method")).Groups[1].Value);
        }

        string Normal(string value) => value.Replace(root, "ROOT", StringComparison.Ordinal);
        return new Dictionary<string, string>
        {
            ["stdio"] = Same(processes.SelectMany(p => new[] { Link(p, "fd/1"), Link(p, "fd/2") }).Select(Normal)),
            ["cwd"] = Same(processes.Select(p => Link(p, "cwd")).Concat(answers.Values.Select(a => a["cwd"])).Select(Normal)),
            ["ids"] = Same(answers.Values.Select(a => $"{a["uid"]} {a["gid"]}")
                .Concat(processes.Select(p => $"{ProcessTree.StatusField(p, "Uid").Split('\t')[0]} {ProcessTree.StatusField(p, "Gid").Split('\t')[0]}"))),
            ["workers"] = (processes.Count - 1).ToString(),
            ["app stderr in the log file"] = File.ReadAllText(log).Contains(marker, StringComparison.Ordinal) ? "yes" : "no",
            ["app stderr in the Emperor's log"] = emperor.Server.Output.Contains(marker, StringComparison.Ordinal) ? "yes" : "no",
        };
    }

    private static EmperorHarness StartEmperor(bool adopted)
    {
        if (!adopted)
        {
            return new EmperorHarness();
        }

        string socket = "@forkserver-options-" + Guid.NewGuid().ToString("N")[..8];
        var emperor = new EmperorHarness("--emperor-use-fork-server", socket, "--vassal-fork-base", "base.ini");
        emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App(App)}\nfork-server = {socket}\n");
        emperor.Server.WaitForLine(new Regex("fork server \\d+ ready"));
        return emperor;
    }

    // The application comes from the base when adopted; a classic vassal loads it itself, after the privilege drop.
    // The options come first, on the same lines both ways.
    private static string Ini(bool adopted, string options)
        => $"[uwsgi]\nhttp-socket = 127.0.0.1:0\n{options}\n" + (adopted ? "" : $"plugins = psgi\npsgi = {RepositoryLayout.App(App)}\n");

    /// <summary>The one value all of <paramref name="values"/> have, or all of them when they differ.</summary>
    private static string Same(IEnumerable<string> values)
    {
        var distinct = values.Distinct().ToList();
        return distinct.Count == 1 ? distinct[0] : "differ: " + string.Join(" | ", distinct);
    }

    private static string Link(int pid, string name) => new FileInfo($"/proc/{pid}/{name}").LinkTarget ?? "?";

    /// <summary>Waits (bounded) until the file has a match: the vassal logs there, not where the Emperor does.</summary>
    private static Match WaitInFile(string path, Regex pattern)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var match = pattern.Match(File.Exists(path) ? File.ReadAllText(path) : "");
            if (match.Success)
            {
                return match;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no match of /{pattern}/ in {path}: " + (File.Exists(path) ? File.ReadAllText(path) : "the file does not exist"));
            Thread.Sleep(50); // a file has no readiness signal: polled
        }
    }
}
