using System.Text;
using CsCheck;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>Arbitrary bytes on a connection never take the worker down.</summary>
public sealed class HttpFuzzTests
{
    private static readonly string[] Prefixes =
    [
        "",
        "GET / HTTP/1.1\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    ];

    [Fact]
    public void Random_bytes_are_answered_with_an_error_or_a_close_and_the_server_serves_on()
    {
        using var server = new HttpTestServer((_, response) =>
        {
            response.Start(200, [new("Content-Length", "2")]);
            response.Write("ok"u8);
            response.Complete();
        });
        var gen = Gen.Select(Gen.Int[0, Prefixes.Length - 1], Gen.Byte.Array[0, 600], (prefix, tail) =>
            Encoding.Latin1.GetBytes(Prefixes[prefix]).Concat(tail).ToArray());

        gen.Sample(
            bytes =>
            {
                using (var client = server.ConnectRaw())
                {
                    client.Send(bytes);
                    client.ShutdownSend();
                    string reply = Encoding.Latin1.GetString(client.ReadToEnd());
                    Assert.True(reply.Length == 0 || reply.StartsWith("HTTP/1.1 200 ") || reply.StartsWith("HTTP/1.1 4")
                        || reply.StartsWith("HTTP/1.1 501 ") || reply.StartsWith("HTTP/1.1 505 "), reply);
                }

                using var probe = server.ConnectRaw();
                probe.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                Assert.Equal(200, probe.ReadResponse().Status);
            },
            iter: 300,
            threads: 1);
        Assert.False(server.Logger.Has(1103), "a connection failed with an unexpected exception");
    }
}
