using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>Debug lines are off unless <c>log-level = debug</c> (or <c>$FORKSERVER_LOG_LEVEL</c>) asks for them.</summary>
public sealed class LogLevelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Debug_lines_are_off_by_default()
    {
        using var server = Start("");
        int port = int.Parse(server.WaitForLine(ForkServerProcess.ServingLine()).Groups["port"].Value);
        server.WaitForLine(ForkServerProcess.AllReadyLine());

        await RefusedThenServed(server, port);

        Assert.DoesNotContain("[DBG]", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_level_debug_writes_them()
    {
        using var server = Start("log-level = debug\n");
        int port = int.Parse(server.WaitForLine(ForkServerProcess.ServingLine()).Groups["port"].Value);
        server.WaitForLine(ForkServerProcess.AllReadyLine());

        await RefusedThenServed(server, port);

        server.WaitForLine(new Regex(@"\[DBG\] .*Refused a request with 400"));
    }

    [Fact]
    public void An_unknown_level_fails_the_start_naming_the_line()
    {
        using var server = Start("log-level = loud\n");
        server.WaitForLine(new Regex(@"app\.ini:5: log-level must be debug, info, warning or error, got 'loud'"));
        Assert.Equal(1, server.WaitForExit());
    }

    /// <summary>
    /// A request the server refuses (its debug line comes before the reply), then one it serves, on the one worker:
    /// once the second one's request line is out, the first one's debug line would be too.
    /// </summary>
    private static async Task RefusedThenServed(ForkServerProcess server, int port)
    {
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync("127.0.0.1", port);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\nHost: x\n\n"));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            byte[] buffer = new byte[1024];
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
        }

        using var client = Http.Client(port);
        await client.GetStringAsync("info?served");
        server.WaitForLine(new Regex(@"GET /info\?served => generated"));
    }

    private ForkServerProcess Start(string options)
    {
        string ini = _dir.Write("app.ini", $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\nprocesses = 1\n{options}psgi = {RepositoryLayout.App("info.psgi")}\n");

        // Not the harness's debug default: the level the ini (or nothing) says.
        return ForkServerProcess.Start(new Dictionary<string, string> { ["FORKSERVER_LOG_LEVEL"] = "" }, _dir.Path, "--ini", ini);
    }
}
