using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using ForkServer.Kernel.Tests.Emperor.Stats;

namespace ForkServer.Kernel.Tests.Fuzzing;

/// <summary>
/// Anything a client sends the stats socket in HTTP mode, over real TCP: an ended request (blank line, or the
/// client's end of stream) gets the whole document; one without an end over 4 KiB is dropped and logged. Either
/// way the connection closes, the server holds no state for it afterwards, and the next client is served.
/// </summary>
[Collection(DescriptorChurn.Name)]
public sealed class StatsRequestFuzzTests
{
    private static readonly Gen<byte[]> Request = Gen.Frequency(
        (3, Mutation.Of(Gen.Const(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")))),
        (2, Gen.Byte.Array[0, 300]),
        (1, Gen.Byte.Array[4000, 6000]));

    [Fact]
    public void Any_request_bytes_get_the_document_or_a_logged_close_and_the_server_serves_on()
    {
        using var host = new StatsTestHost("127.0.0.1:0", statsHttp: true);
        Bounded.Run(nameof(Any_request_bytes_get_the_document_or_a_logged_close_and_the_server_serves_on), () => Request.Sample(
            bytes =>
            {
                using (var client = host.Connect())
                {
                    Send(client, bytes);
                    client.Shutdown(SocketShutdown.Send);
                    string reply = Encoding.Latin1.GetString(ReadToEnd(client));
                    bool ended = bytes.AsSpan().IndexOf("\r\n\r\n"u8) >= 0 || bytes.AsSpan().IndexOf("\n\n"u8) >= 0;
                    bool fits = bytes.Length < 4096 || bytes.AsSpan(0, 4096).IndexOf("\r\n\r\n"u8) >= 0 || bytes.AsSpan(0, 4096).IndexOf("\n\n"u8) >= 0;
                    if (fits && (ended || bytes.Length > 0))
                    {
                        Assert.StartsWith("HTTP/1.0 200 OK\r\n", reply);
                        JsonDocument.Parse(reply[(reply.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]).Dispose();
                    }
                    else
                    {
                        Assert.Equal("", reply);
                    }
                }
            },
            iter: 300,
            threads: 1));

        Assert.Equal(0, Wait.Until(() => host.OnLoop(() => host.Server.ConnectionCount), 0));
    }

    private static void Send(Socket client, byte[] bytes)
    {
        try
        {
            client.Send(bytes);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
            // Dropped for its size while the rest was still being sent.
        }
    }

    private static byte[] ReadToEnd(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = socket.Receive(buffer)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A dropped client may see a reset instead of end-of-stream.
        }

        return received.ToArray();
    }

    private static class Wait
    {
        /// <summary>Polls <paramref name="read"/> until it equals <paramref name="expected"/> or 10 s pass; returns the last value.</summary>
        public static int Until(Func<int> read, int expected)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            int value;
            while ((value = read()) != expected && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            return value;
        }
    }
}
