using System.Text.RegularExpressions;

namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real <c>forkserver --emperor</c> over a scratch vassal folder, with its stats on a unix socket. Vassals
/// inherit the Emperor's stderr, so their log lines arrive in <see cref="Server"/>'s output too.
/// </summary>
internal sealed class EmperorHarness : IDisposable
{
    private readonly TempDirectory _dir = new();

    public EmperorHarness(params string[] extraArgs)
        : this(new Dictionary<string, string>(), extraArgs)
    {
    }

    /// <param name="environment">Added to the Emperor's environment (and so to every vassal's and worker's).</param>
    /// <param name="extraArgs">More <c>forkserver</c> arguments.</param>
    public EmperorHarness(IReadOnlyDictionary<string, string> environment, params string[] extraArgs)
    {
        VassalDirectory = Path.Combine(_dir.Path, "vassals");
        Directory.CreateDirectory(VassalDirectory);
        StatsSocket = Path.Combine(_dir.Path, "stats.sock");
        Server = ForkServerProcess.Start(environment, _dir.Path, ["--emperor", VassalDirectory, "--emperor-stats", StatsSocket, .. extraArgs]);
        Server.WaitForLine(new Regex("emperor \\d+ watching"));
    }

    public ForkServerProcess Server { get; }

    public string VassalDirectory { get; }

    public string StatsSocket { get; }

    public string Scratch => _dir.Path;

    /// <summary>Writes a PSGI vassal ini serving <paramref name="app"/> on a free port.</summary>
    public string DropVassal(string name, string app, string extra = "")
        => DropFile(name, $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\nprocesses = 1\npsgi = {RepositoryLayout.App(app)}\n{extra}\n");

    public string DropFile(string name, string content)
    {
        // Written beside, then renamed in: the Emperor sees the whole file at once, as with any careful deployment.
        string staging = Path.Combine(_dir.Path, name + ".tmp");
        File.WriteAllText(staging, content);
        string path = Path.Combine(VassalDirectory, name);
        File.Move(staging, path, overwrite: true);
        return path;
    }

    /// <summary>Waits for the vassal's "is ready to accept requests" line (the n-th one) and returns its pid.</summary>
    public int WaitAccepting(string name, int occurrence = 0)
        => int.Parse(Server.WaitForLine(new Regex($"vassal {Regex.Escape(name)} \\(pid (\\d+)\\) is ready to accept requests"), skip: occurrence).Groups[1].Value);

    /// <summary>The HTTP port the vassal master with <paramref name="pid"/> logged.</summary>
    public int PortOf(int pid)
        => int.Parse(Server.WaitForLine(new Regex($"master {pid} serving .* on http://127\\.0\\.0\\.1:(\\d+)")).Groups[1].Value);

    public void Dispose()
    {
        Server.Dispose();
        _dir.Dispose();
    }
}
