using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// The Emperor protocol both ways with Debian's uWSGI 2.0.21 (packages uwsgi and uwsgi-plugin-psgi): our Emperor
/// supervises a uWSGI vassal, and uWSGI's Emperor supervises ours.
/// </summary>
public sealed class UwsgiInteropTests
{
    private const string Uwsgi = "/usr/bin/uwsgi";

    [Fact]
    public async Task Our_emperor_sees_a_uwsgi_vassal_ready_accepting_and_loyal_and_reloads_and_stops_it()
    {
        using var emperor = new EmperorHarness("--emperor-wrapper", Uwsgi);
        int port = FreePort();
        string ini = emperor.DropFile("u.ini", $"[uwsgi]\nplugins = psgi\nmaster = true\nprocesses = 1\nhttp-socket = 127.0.0.1:{port}\npsgi = {RepositoryLayout.App("info.psgi")}\n");

        int pid = emperor.WaitAccepting("u.ini");
        emperor.Server.WaitForLine(new Regex($"vassal u.ini \\(pid {pid}\\) is ready$"));
        using (var client = Http.Client(port))
        {
            Assert.Equal(200, (await Http.GetFresh(client, "info")).Status);
        }

        emperor.Server.WaitForLine(new Regex("vassal u.ini \\(pid \\d+\\) is now loyal"));
        using (var stats = EmperorStatsClient.Read(emperor.StatsSocket))
        {
            var vassal = EmperorStatsClient.Vassal(stats, "u.ini")!.Value;
            Assert.Equal(1, vassal.GetProperty("ready").GetInt32());
            Assert.Equal(1, vassal.GetProperty("accepting").GetInt32());
            Assert.Equal(1, vassal.GetProperty("loyal").GetInt32());
        }

        File.SetLastWriteTimeUtc(ini, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(pid, emperor.WaitAccepting("u.ini", occurrence: 1)); // uWSGI re-executes in place

        File.Delete(ini);
        Assert.True(ProcessTree.WaitUntilGone(pid, TimeSpan.FromSeconds(30)), "the uWSGI vassal outlived its file");
        emperor.Server.WaitForLine(new Regex("vassal u.ini \\(pid \\d+\\) ended"));
    }

    [Fact]
    public async Task The_uwsgi_emperor_sees_our_vassal_ready_accepting_and_loyal_and_reloads_and_stops_it()
    {
        using var dir = new TempDirectory();
        string vassals = Path.Combine(dir.Path, "vassals");
        Directory.CreateDirectory(vassals);
        string ini = Path.Combine(vassals, "ours.ini");
        File.WriteAllText(ini, $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\npsgi = {RepositoryLayout.App("info.psgi")}\n");
        using var emperor = ForkServerProcess.StartProgram(Uwsgi, dir.Path,
            "--emperor", vassals, "--emperor-wrapper", RepositoryLayout.ForkServerBinary, "--emperor-freq", "1");

        var serving = emperor.WaitForLine(new Regex("master (\\d+) serving .* on http://127\\.0\\.0\\.1:(\\d+)"));
        int pid = int.Parse(serving.Groups[1].Value);
        int port = int.Parse(serving.Groups[2].Value);
        emperor.WaitForLine(new Regex("vassal ours.ini has been spawned"));
        emperor.WaitForLine(new Regex("vassal ours.ini is ready to accept requests"));
        using (var client = Http.Client(port))
        {
            Assert.Equal(200, (await Http.GetFresh(client, "info")).Status);
        }

        emperor.WaitForLine(new Regex("vassal ours.ini is now loyal"));

        File.SetLastWriteTimeUtc(ini, DateTime.UtcNow.AddSeconds(5));
        emperor.WaitForLine(new Regex("reloading: re-executing"));
        emperor.WaitForLine(new Regex("vassal ours.ini is ready to accept requests"), skip: 1);
        Assert.True(ProcessTree.IsAlive(pid));

        File.Delete(ini);
        Assert.True(ProcessTree.WaitUntilGone(pid, TimeSpan.FromSeconds(30)), "our vassal outlived its file under uWSGI's Emperor");
        emperor.Signal(ProcessTree.SIGINT);
        emperor.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
