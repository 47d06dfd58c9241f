using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// <c>forkserver --check</c>: validates without starting, telling a uWSGI option ForkServer does not implement, one
/// needing the python plugin, and a typo apart; a psgi option loads the psgi plugin without <c>plugins =</c>.
/// </summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (int ExitCode, string Output) Check(string iniBody, params string[] extra)
    {
        _dir.Write("app.ini", iniBody);
        using var process = ForkServerProcess.Start(_dir.Path, ["--check", .. extra, "--ini", "app.ini"]);
        return (process.WaitForExit(), process.Output);
    }

    [Fact]
    public void A_psgi_vassal_without_a_plugins_line_is_valid_and_options_without_effect_are_named()
    {
        var (exitCode, output) = Check(
            $"[uwsgi]\nhttp-socket = 127.0.0.1:0\npsgi = {RepositoryLayout.App("hello.psgi")}\nenable-threads = true\nmaster = true\n",
            "--print-config");

        Assert.Equal(0, exitCode);
        Assert.Contains("valid", output);
        Assert.Contains("app.ini:4: 'enable-threads' has no effect in ForkServer", output);
        Assert.Contains("; plugins loaded: psgi", output);
        Assert.Contains("http-socket = 127.0.0.1:0 ; app.ini:2", output);
    }

    [Fact]
    public void Unimplemented_python_and_mistyped_options_each_get_their_own_message_with_file_and_line()
    {
        var (exitCode, output) = Check(
            "[uwsgi]\nhttp-socket = 127.0.0.1:0\nmodule = app.wsgi:application\ntouch-reload = /tmp/x\nproceses = 2\n");

        Assert.Equal(1, exitCode);
        Assert.Contains("app.ini:3: key 'module': 'module' needs the python plugin", output);
        Assert.Contains("app.ini:4: key 'touch-reload': 'touch-reload' is a uWSGI option ForkServer does not implement", output);
        Assert.Contains("app.ini:5: key 'proceses': unknown option (did you mean 'processes'?)", output);
        Assert.Contains("invalid: 3 error(s)", output);
    }
}
