using System.Net.Sockets;
using System.Text;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>Exact bytes to a vassal over a plain socket, and everything it answers until it closes.</summary>
internal static class RawExchange
{
    /// <summary>Sends <paramref name="request"/> (Latin-1) and reads until the server closes; fails after <paramref name="timeout"/>.</summary>
    public static async Task<string> SendAndReadToClose(int port, string request, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout);
        await socket.ConnectAsync("127.0.0.1", port, deadline.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), deadline.Token);
        var received = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    /// <summary>How many responses (status lines) <paramref name="text"/> holds.</summary>
    public static int CountResponses(string text) => text.Split("HTTP/1.1 ").Length - 1;

    /// <summary>The head of the first response (through its blank line), for header checks.</summary>
    public static string FirstHead(string text) => text[..(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];
}
