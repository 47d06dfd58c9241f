using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// Issue 18 item 8: request bodies are bounded in a worker's memory, whatever clients declare, and the app reads
/// them whole (and can rewind) from memory or from the spool file.
/// </summary>
public sealed class RequestBodyMemoryTests : IDisposable
{
    private const int Connections = 16;
    private const int BodyBytes = 16 * 1024 * 1024;

    // Before spooling, each of these bodies was an array in the worker: 16 x 16 MB went to its RSS and stayed.
    private const long AllowedGrowthKb = 64 * 1024;

    private readonly ServingVassal _vassal = ServingVassal.Start("hostile_http.psgi", processes: 1);

    public void Dispose() => _vassal.Dispose();

    [Fact]
    public async Task Sixteen_large_bodies_at_once_leave_the_worker_RSS_bounded_and_reach_the_app_whole()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        int worker = int.Parse(await Post("/pid", [], timeout.Token));
        string small = await Post("/body", "0123456789"u8.ToArray(), timeout.Token);
        Assert.Equal($"length=10 md5={Md5("0123456789"u8.ToArray())} reread=same", small);
        long baselineKb = RssKb(worker);

        byte[] body = new byte[BodyBytes];
        new Random(18).NextBytes(body);
        string expected = $"length={BodyBytes} md5={Md5(body)} reread=same";
        long peakKb = baselineKb;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakKb = Math.Max(peakKb, RssKb(worker));
                await Task.Delay(20, CancellationToken.None);
            }
        });

        // All bodies but their last byte, side by side: the worker holds sixteen unfinished bodies at once.
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync("127.0.0.1", _vassal.Port, timeout.Token);
            }

            byte[] head = Encoding.ASCII.GetBytes($"POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: {BodyBytes}\r\nConnection: close\r\n\r\n");
            await Task.WhenAll(sockets.Select(async socket =>
            {
                await socket.SendAsync(head, timeout.Token);
                await socket.SendAsync(body.AsMemory(0, BodyBytes - 1), timeout.Token);
            }));
            long heldKb = RssKb(worker);

            var answers = await Task.WhenAll(sockets.Select(async socket =>
            {
                await socket.SendAsync(body.AsMemory(BodyBytes - 1), timeout.Token);
                return await ReadToClose(socket, timeout.Token);
            }));
            sampling.Cancel();
            await sampler;

            Assert.All(answers, answer => Assert.EndsWith("\r\n\r\n" + expected, answer));
            Assert.True(peakKb - baselineKb < AllowedGrowthKb, $"worker RSS grew from {baselineKb} kB to {peakKb} kB ({heldKb} kB with the bodies held)");
        }
        finally
        {
            sampling.Cancel();
            sockets.ForEach(s => s.Dispose());
        }

        // And nothing is kept once the clients left.
        long afterKb = RssKb(worker);
        Assert.True(afterKb - baselineKb < AllowedGrowthKb, $"worker RSS {afterKb} kB after the clients left, {baselineKb} kB before");
    }

    private static long RssKb(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    private async Task<string> Post(string path, byte[] body, CancellationToken token)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", _vassal.Port, token);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), token);
        await socket.SendAsync(body, token);
        string text = await ReadToClose(socket, token);
        return text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
    }

    private static async Task<string> ReadToClose(Socket socket, CancellationToken token)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }
}
