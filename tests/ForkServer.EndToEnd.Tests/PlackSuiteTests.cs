using System.Diagnostics;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// Plack's own server conformance suite (Debian libplack-perl), run by <c>prove</c> against the real binary:
/// Test::TCP picks a port and execs <c>forkserver</c> serving the suite's app there.
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

        string output = await stdout + await stderr;
        Assert.True(prove.ExitCode == 0, output);
        Assert.Contains("All tests successful", output);
        Assert.DoesNotContain("not ok", output);
    }
}
