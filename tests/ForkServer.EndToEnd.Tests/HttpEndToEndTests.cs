using System.Net.Sockets;
using System.Text;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>The HTTP front of the real binary, seen by real clients.</summary>
public sealed class HttpEndToEndTests : IDisposable
{
    private readonly ServingVassal _vassal = ServingVassal.Start("info.psgi", processes: 2);

    public void Dispose() => _vassal.Dispose();

    [Fact]
    public async Task Keep_alive_serves_many_requests_on_one_connection()
    {
        using var client = Http.Client(_vassal.Port);
        var pids = new HashSet<string>();
        for (int i = 0; i < 20; i++)
        {
            var body = await client.GetStringAsync("info");
            pids.Add(Http.Facts(body)["pid"]);
        }

        // One pooled connection stays with one worker.
        Assert.Single(pids);
    }

    [Fact]
    public async Task A_chunked_binary_body_reaches_the_app_intact()
    {
        using var client = Http.Client(_vassal.Port);
        byte[] payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        using var content = new StreamContent(new MemoryStream(payload)); // no length: sent chunked
        using var response = await client.PostAsync("echo", content);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", _vassal.Port);
        string one = "GET /first HTTP/1.1\r\nHost: x\r\n\r\n";
        string two = "GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(one + two));

        var received = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        string text = Encoding.ASCII.GetString(received.ToArray());
        Assert.True(text.IndexOf("path=/first", StringComparison.Ordinal) < text.IndexOf("path=/second", StringComparison.Ordinal));
        Assert.Equal(2, text.Split("HTTP/1.1 200").Length - 1);
    }
}
