using System.Net.Sockets;
using System.Text;
using ForkServer.Abstractions;
using ForkServer.Kernel.Http;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>
/// RFC 9110/9112 corners a hostile client or a careless handler reaches (issue 18 item 10): each is refused, or
/// turned into a 500, at once and with a log line, and the connection never carries a confused response.
/// </summary>
public sealed class HttpHostileInputTests
{
    [Theory]
    [InlineData("POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.0\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\nHost: x\n\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: x\n\r\n")]
    [InlineData("GET http://user@evil.example/x HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET http:///x HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n")]
    public void Refused_at_once_with_400_and_closed(string request)
    {
        using var server = new HttpTestServer((_, _) => Assert.Fail("the handler must not run"));
        using var client = server.ConnectRaw();
        client.Send(request);
        var response = client.ReadResponse();
        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("Connection"));

        // Nothing more: a request pipelined behind the refused one is not served.
        Assert.Empty(client.ReadToEnd());
        Assert.Equal(0, server.RequestsCompleted);
    }

    [Theory]
    [InlineData("GET http://evil.example/x?y=1 HTTP/1.1\r\nHost: good.example\r\n\r\n", "/x?y=1", "/x", "evil.example")]
    [InlineData("GET HTTP://evil.example:8080 HTTP/1.1\r\nHost: good.example\r\n\r\n", "/", "/", "evil.example:8080")]
    [InlineData("GET http://evil.example?q HTTP/1.0\r\n\r\n", "/?q", "/", "evil.example")]
    public void An_absolute_form_target_gives_its_path_and_its_host(string request, string target, string path, string host)
    {
        IRequest? seen = null;
        using var server = new HttpTestServer((request, response) =>
        {
            seen = request;
            response.Start(204, []);
            response.Complete();
        });
        using var client = server.ConnectRaw();
        client.Send(request);
        Assert.Equal(204, client.ReadResponse().Status);
        Assert.Equal(target, seen!.RawTarget);
        Assert.Equal(path, seen.RawPath);
        Assert.Equal(host, Assert.Single(seen.Headers, h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value);
    }

    [Theory]
    [InlineData(100, "X-Ok", "1")]
    [InlineData(101, "Upgrade", "websocket")]
    [InlineData(199, "X-Ok", "1")]
    [InlineData(200, "X-Nul", "a\0b")]
    [InlineData(200, "X-VT", "a\vb")]
    [InlineData(200, "X-Esc", "\u001b[31m")]
    [InlineData(200, "X-DEL", "a\u007f")]
    [InlineData(200, "X Space", "1")]
    [InlineData(200, "X-Colon:", "1")]
    public void A_bad_final_status_or_header_from_the_handler_becomes_a_500_and_the_connection_serves_on(int status, string name, string value)
    {
        using var server = new HttpTestServer((request, response) =>
        {
            bool bad = request.RawPath == "/bad";
            response.Start(bad ? status : 200, bad ? [new(name, value)] : [new("Content-Length", "2")]);
            response.Write("ok"u8);
            response.Complete();
        });
        using var client = server.ConnectRaw();
        client.Send("GET /bad HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        var refused = client.ReadResponse();
        Assert.Equal(500, refused.Status);
        Assert.DoesNotContain(refused.Headers, h => h.Key == name);
        var next = client.ReadResponse();
        Assert.Equal(200, next.Status);
        Assert.Equal("ok", next.BodyText);
        Assert.True(server.Logger.Has(1105));
    }

    [Theory]
    [InlineData("HTTP/1.1", "chunked")]
    [InlineData("HTTP/1.0", null)]
    public void A_handler_Transfer_Encoding_chunked_is_framed_by_the_server(string protocol, string? expectedEncoding)
    {
        using var server = new HttpTestServer((_, response) =>
        {
            response.Start(200, [new("Transfer-Encoding", "chunked")]);
            response.Write("hello"u8);
            response.Write("world"u8);
            response.Complete();
        });
        using var client = server.ConnectRaw();
        client.Send($"GET / {protocol}\r\nHost: x\r\n\r\n");
        var response = client.ReadResponse();
        Assert.Equal(expectedEncoding, Assert.Single(response.Headers.Where(h => h.Key == "Transfer-Encoding").Select(h => h.Value).DefaultIfEmpty(null)));
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal("helloworld", response.BodyText);
    }

    [Fact]
    public void A_handler_Transfer_Encoding_chunked_beside_a_Content_Length_leaves_the_Content_Length()
    {
        using var server = new HttpTestServer((_, response) =>
        {
            response.Start(200, [new("Transfer-Encoding", "chunked"), new("Content-Length", "10")]);
            response.Write("helloworld"u8);
            response.Complete();
        });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = client.ReadResponse();
        Assert.Null(response.Header("Transfer-Encoding"));
        Assert.Equal("helloworld", response.BodyText);
        Assert.Equal("helloworld", client.ReadResponse().BodyText);
    }

    [Fact]
    public void A_response_aborted_before_any_byte_was_sent_becomes_a_500()
    {
        using var server = new HttpTestServer((_, response) =>
        {
            response.Start(200, [new("Content-Length", "100")]);
            response.Write("partial"u8);
            response.Abort();
        });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = client.ReadResponse();
        Assert.Equal(500, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(client.ServerClosed());
        Assert.True(server.Logger.Has(1120));
    }

    [Fact]
    public void A_client_draining_slowly_is_cut_off_after_the_response_wait_limit()
    {
        // Each send waits less than the 30 s write timeout, since the client reads a little every 100 ms.
        var limits = new HttpLimits { MaxResponseWaitSeconds = 2, WriteTimeoutSeconds = 30 };
        var handlerTime = System.Diagnostics.Stopwatch.StartNew();
        using var handlerDone = new ManualResetEventSlim();
        using var server = new HttpTestServer((_, response) =>
        {
            handlerTime.Restart();
            response.Start(200, [new("Content-Length", (64L << 20).ToString())]);
            var piece = new byte[64 * 1024];
            for (int i = 0; i < 1024 && !response.ClientDisconnected; i++)
            {
                response.Write(piece);
            }

            handlerTime.Stop();
            handlerDone.Set();
        }, limits);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        socket.Connect(System.Net.IPAddress.Loopback, server.Port);
        socket.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8);
        var buffer = new byte[4096];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!handlerDone.IsSet && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100); // the slow client's pace, not a synchronisation
            if (socket.Poll(0, SelectMode.SelectRead) && socket.Receive(buffer) == 0)
            {
                break;
            }
        }

        Assert.True(handlerDone.Wait(TimeSpan.FromSeconds(30)), "the response was never abandoned");
        Assert.InRange(handlerTime.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        Assert.True(server.Logger.Has(1121));
    }
}
