using System.Net;
using System.Net.Sockets;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>Bad input stops a vassal before it starts, with exit code 1 and a message naming what is wrong.</summary>
public sealed class StartupErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Fails(string iniBody)
    {
        string ini = _dir.Write("bad.ini", iniBody);
        using var server = ForkServerProcess.Start(_dir.Path, "--ini", ini);
        Assert.Equal(1, server.WaitForExit());
        return server.Output;
    }

    private static string Vassal(string app, string extra = "")
        => $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\npsgi = {app}\n{extra}\n";

    [Fact]
    public void A_malformed_ini_line_is_reported_with_file_and_line()
    {
        string output = Fails("[uwsgi]\nplugins = psgi\nthis line has no equals sign\n");
        Assert.Contains("bad.ini:3", output);
    }

    [Fact]
    public void An_unknown_option_is_reported_with_file_line_and_a_suggestion()
    {
        string output = Fails(Vassal(RepositoryLayout.App("hello.psgi"), "proceses = 2"));
        Assert.Contains("bad.ini:5", output);
        Assert.Contains("proceses", output);
        Assert.Contains("processes", output);
    }

    [Fact]
    public void A_missing_app_file_is_named()
    {
        string output = Fails(Vassal("/nonexistent/app.psgi"));
        Assert.Contains("/nonexistent/app.psgi", output);
    }

    [Fact]
    public void An_app_that_dies_while_loading_is_reported_with_its_error()
    {
        string output = Fails(Vassal(RepositoryLayout.App("dies_at_load.psgi")));
        Assert.Contains("dies_at_load.psgi", output);
        Assert.Contains("the database is not there", output);
    }

    [Fact]
    public void An_app_with_a_syntax_error_is_reported()
    {
        string output = Fails(Vassal(RepositoryLayout.App("syntax_error.psgi")));
        Assert.Contains("syntax_error.psgi", output);
    }

    [Fact]
    public void A_missing_plugin_is_named()
    {
        string output = Fails("[uwsgi]\nplugins = nosuchplugin\nhttp-socket = 127.0.0.1:0\n");
        Assert.Contains("plugin 'nosuchplugin'", output);
        Assert.Contains("not found", output);
    }

    /// <summary>Starts a vassal whose only plugin is a folder holding <paramref name="files"/>; returns its output.</summary>
    private string FailsWithPlugin(string name, params (string File, byte[] Content)[] files)
    {
        string plugins = Path.Combine(_dir.Path, "plugins");
        Directory.CreateDirectory(Path.Combine(plugins, name));
        foreach (var (file, content) in files)
        {
            File.WriteAllBytes(Path.Combine(plugins, name, file), content);
        }

        return Fails($"[uwsgi]\nplugins-dir = {plugins}\nplugins = {name}\nhttp-socket = 127.0.0.1:0\n");
    }

    [Fact]
    public void A_broken_plugin_assembly_is_reported_with_its_path()
    {
        string output = FailsWithPlugin(
            "broken",
            ("Broken.deps.json", """
                {"runtimeTarget": {"name": ".NETCoreApp,Version=v10.0"},
                 "targets": {".NETCoreApp,Version=v10.0": {"Broken/1.0.0": {"runtime": {"Broken.dll": {}}}}},
                 "libraries": {"Broken/1.0.0": {"type": "project", "serviceable": false, "sha512": ""}}}
                """u8.ToArray()),
            ("Broken.dll", [0x4d, 0x5a, 0xde, 0xad, 0xbe, 0xef]));
        Assert.Contains("plugin 'broken' failed to load", output);
        Assert.Contains("Broken.dll", output);
    }

    [Fact]
    public void A_damaged_plugin_manifest_is_reported_instead_of_crashing_the_process()
    {
        string output = FailsWithPlugin("damaged", ("Damaged.deps.json", "{}"u8.ToArray()), ("Damaged.dll", [0x4d, 0x5a]));
        Assert.Contains("plugin 'damaged'", output);
        Assert.Contains("Damaged.deps.json is not a .NET dependency manifest", output);
    }

    [Fact]
    public void A_plugin_folder_without_a_manifest_is_reported()
    {
        string output = FailsWithPlugin("empty");
        Assert.Contains("plugin 'empty'", output);
        Assert.Contains("*.deps.json", output);
    }

    [Fact]
    public void An_unknown_plugin_option_is_reported_once_the_plugin_declares_its_own()
    {
        string output = Fails(Vassal(RepositoryLayout.App("hello.psgi"), "psgi-typo = 1"));
        Assert.Contains("bad.ini:5", output);
        Assert.Contains("psgi-typo", output);
    }

    [Fact]
    public void A_port_in_use_is_reported_with_the_address_and_where_it_was_set()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        string output = Fails($"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:{port}\npsgi = {RepositoryLayout.App("hello.psgi")}\n");
        Assert.Contains($"127.0.0.1:{port}", output);
        Assert.Contains("bad.ini:3", output);
        Assert.Contains("in use", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void No_application_configured_is_an_error()
    {
        string output = Fails("[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\n");
        Assert.Contains("no application", output);
    }

    [Fact]
    public void An_emperor_stats_address_that_cannot_be_bound_is_a_clear_error()
    {
        string notASocket = _dir.Write("stats.sock", "a regular file");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "vassals"));

        string output = Fails($"[uwsgi]\nemperor = {Path.Combine(_dir.Path, "vassals")}\nemperor-stats = {notASocket}\n");
        Assert.Contains($"cannot serve emperor-stats on {notASocket}", output);
        Assert.Equal("a regular file", File.ReadAllText(notASocket));
    }
}
