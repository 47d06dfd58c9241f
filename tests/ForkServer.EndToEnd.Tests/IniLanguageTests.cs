using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// A vassal ini written in uWSGI's ini language, beyond key = value, starts and serves: a custom key used as a
/// placeholder, set-ph, a bare flag line, a same-file section include, @(file), if-env/else/endif, for/endfor
/// with %(_), and magic variables. Classic, and adopted from a fork-server base.
/// </summary>
public sealed class IniLanguageTests : IDisposable
{
    private const string TierVariable = "FORKSERVER_E2E_INI_TIER";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // The ini under test: chdir comes from a custom key, the worker count from a condition in another section.
    private static string VassalIni(string project, string? psgiLine) => $"""
        [uwsgi]
        project = {project}
        set-ph = port = 0
        {(psgiLine is null ? "" : "plugins = psgi\n" + psgiLine)}
        master
        http-socket = 127.0.0.1:%(port)
        chdir = %(project)
        ini = :workers
        for = 64 128
        listen = %(_)
        endfor

        [workers]
        if-env = {TierVariable}=prod
        processes = 2
        else
        processes = 1
        endif
        """;

    [Fact]
    public async Task A_classic_vassal_reads_the_ini_language_and_serves()
    {
        string project = Directory.CreateDirectory(Path.Combine(_dir.Path, "srv")).FullName;
        _dir.Write("app-path.txt", RepositoryLayout.App("process_facts.psgi") + "\n");
        string ini = _dir.Write("app.ini", VassalIni(project, "psgi = @(%dapp-path.txt)"));

        using var server = ForkServerProcess.Start(new Dictionary<string, string> { [TierVariable] = "prod" }, _dir.Path, "--ini", ini);
        var serving = server.WaitForLine(ForkServerProcess.ServingLine());
        server.WaitForLine(ForkServerProcess.AllReadyLine());

        Assert.Equal("2", serving.Groups["n"].Value);
        using var client = Http.Client(int.Parse(serving.Groups["port"].Value));
        Assert.Equal(project, Http.Facts(await client.GetStringAsync("/"))["cwd"]);
    }

    [Fact]
    public async Task An_adopted_vassal_reads_the_ini_language_and_serves()
    {
        string socket = "@forkserver-ini-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = new EmperorHarness(
            new Dictionary<string, string> { [TierVariable] = "staging" },
            "--emperor-use-fork-server", socket, "--vassal-fork-base", "base.ini");
        emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("process_facts.psgi")}\nfork-server = {socket}\n");
        string project = Directory.CreateDirectory(Path.Combine(emperor.Scratch, "srv")).FullName;

        emperor.DropFile("one.ini", VassalIni(project, psgiLine: null));
        int master = emperor.WaitAccepting("one.ini");

        // The condition failed in the Emperor's environment: else gave one worker.
        emperor.Server.WaitForLine(new Regex($@"master {master} serving .* with 1 worker"));
        using var client = Http.Client(emperor.PortOf(master));
        Assert.Equal(project, Http.Facts(await client.GetStringAsync("/"))["cwd"]);
    }
}
