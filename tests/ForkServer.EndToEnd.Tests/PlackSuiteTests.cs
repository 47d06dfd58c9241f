using System.Diagnostics;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// Plack's own server conformance suite (Debian libplack-perl), run by <c>prove</c> against the real binary: on an
/// HTTP socket (Test::TCP picks a port and execs <c>forkserver</c> serving the suite's app there), and behind a real
/// nginx speaking uWSGI's protocol to it.
/// </summary>
public sealed class PlackSuiteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Plack_test_suite_passes(int processes)
    {
        string script = _dir.Write("suite.t", $$"""
            use strict; use warnings;
            use Test::More;
            use Plack::Test::Suite;
            Plack::Test::Suite->run_server_tests(sub {
                my ($port) = @_;
                exec '{{RepositoryLayout.ForkServerBinary}}', '--plugins', 'psgi',
                    '--http-socket', "127.0.0.1:$port", '--processes', '{{processes}}',
                    '--psgi', '{{RepositoryLayout.App("plack_suite.psgi")}}'
                    or die "exec: $!";
            });
            done_testing;
            """);
        await Prove(script);
    }

    // nginx as Debian configures it (its uwsgi_params, no server_name): the suite's requests reach the app in uWSGI's
    // protocol, through a unix socket, from a classic vassal and from one adopted from a fork-server base.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Plack_test_suite_passes_through_nginx_uwsgi_pass(bool adopted)
    {
        string socket = Path.Combine(_dir.Path, "app.sock");
        string vassal = $"[uwsgi]\nplugins = psgi\nsocket = {socket}\nchmod-socket = 666\nprocesses = 2\npsgi = {RepositoryLayout.App("plack_suite.psgi")}\n";
        using var backend = adopted ? StartAdopted(vassal) : StartClassic(vassal);
        using var nginx = NginxProcess.Start(Path.Combine(_dir.Path, "nginx"), $"location / {{ UWSGI_PARAMS uwsgi_pass unix:{socket}; }}", serverName: null);

        // The suite's "server" is already up: nginx's port is both the one Test::TCP waits for and the one requests go to.
        string script = _dir.Write("nginx.t", $$"""
            use strict; use warnings;
            use Test::More;
            use Plack::Test::Suite;
            Plack::Test::Suite->run_server_tests(sub { sleep 1 while 1 }, {{nginx.Port}}, {{nginx.Port}});
            done_testing;
            """);
        try
        {
            await Prove(script);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"forkserver's log:\n{backend.Output}\nnginx's error log:\n{nginx.ErrorLog}", e);
        }
    }

    // uWSGI's psgi plugin as the oracle, behind the same nginx with what it needs to pass Plack's Lint (a server_name,
    // a SCRIPT_NAME): ForkServer passes every test of the suite that uWSGI passes.
    [Fact]
    public async Task Through_nginx_forkserver_passes_every_suite_test_uwsgi_passes()
    {
        string app = RepositoryLayout.App("plack_suite.psgi");
        string uwsgiSocket = Path.Combine(_dir.Path, "uwsgi.sock");
        using var uwsgi = ForkServerProcess.StartProgram("uwsgi", _dir.Path, "--plugin", "psgi", "--socket", uwsgiSocket, "--chmod-socket=666",
            "--processes", "2", "--psgi", app, "--disable-logging");
        uwsgi.WaitForLine(new Regex("spawned uWSGI worker 2"));
        string forkSocket = Path.Combine(_dir.Path, "forkserver.sock");
        using var forkserver = StartClassic($"[uwsgi]\nplugins = psgi\nsocket = {forkSocket}\nchmod-socket = 666\nprocesses = 2\npsgi = {app}\n");

        var failed = new Dictionary<string, string[]>();
        foreach (var (name, socket) in new[] { ("uwsgi", uwsgiSocket), ("forkserver", forkSocket) })
        {
            using var nginx = NginxProcess.Start(Path.Combine(_dir.Path, "nginx-" + name),
                $"location / {{ UWSGI_PARAMS uwsgi_param SCRIPT_NAME \"\"; uwsgi_pass unix:{socket}; }}", serverName: "127.0.0.1");
            string script = _dir.Write(name + ".t", $$"""
                use strict; use warnings;
                use Test::More;
                use Plack::Test::Suite;
                Plack::Test::Suite->run_server_tests(sub { sleep 1 while 1 }, {{nginx.Port}}, {{nginx.Port}});
                done_testing;
                """);
            var (_, output) = await RunProve(script);
            Assert.Contains("1..101", output);
            failed[name] = Regex.Matches(output, @"^not ok (\d+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();
        }

        Assert.Empty(failed["forkserver"].Except(failed["uwsgi"]));
        Assert.Empty(failed["forkserver"]);
    }

    private ForkServerProcess StartClassic(string vassal)
    {
        var server = ForkServerProcess.Start(_dir.Path, "--ini", _dir.Write("app.ini", vassal));
        server.WaitForLine(ForkServerProcess.AllReadyLine());
        return server;
    }

    private ForkServerProcess StartAdopted(string vassal)
    {
        string forkSocket = "@forkserver-plack-" + Guid.NewGuid().ToString("N")[..8];
        string vassals = Path.Combine(_dir.Path, "vassals");
        Directory.CreateDirectory(vassals);
        File.WriteAllText(Path.Combine(vassals, "base.ini"), $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("plack_suite.psgi")}\nfork-server = {forkSocket}\n");
        var emperor = ForkServerProcess.Start(_dir.Path, "--emperor", vassals, "--emperor-use-fork-server", forkSocket, "--vassal-fork-base", "base.ini");
        try
        {
            emperor.WaitForLine(new Regex(@"fork-server: spare vassal \d+ waits for a request"));
            File.WriteAllText(Path.Combine(vassals, "app.ini"), vassal.Replace($"psgi = {RepositoryLayout.App("plack_suite.psgi")}\n", ""));
            emperor.WaitForLine(new Regex(@"vassal app\.ini \(pid \d+\) is ready to accept requests"));
            return emperor;
        }
        catch
        {
            emperor.Dispose();
            throw;
        }
    }

    private async Task Prove(string script)
    {
        var (exitCode, output) = await RunProve(script);
        Assert.True(exitCode == 0, output);
        Assert.Contains("All tests successful", output);
        Assert.DoesNotContain("not ok", output);
    }

    private async Task<(int ExitCode, string Output)> RunProve(string script)
    {
        var info = new ProcessStartInfo("prove", ["-v", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir.Path,
        };
        using var prove = Process.Start(info)!;
        var stdout = prove.StandardOutput.ReadToEndAsync();
        var stderr = prove.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await prove.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            prove.Kill(entireProcessTree: true);
            Assert.Fail("prove did not finish in 3 minutes:\n" + await stdout);
        }

        return (prove.ExitCode, await stdout + await stderr);
    }
}
