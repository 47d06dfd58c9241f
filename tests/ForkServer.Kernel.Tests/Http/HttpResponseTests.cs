using System.Security.Cryptography;
using System.Text;
using ForkServer.Abstractions;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>Response framing and handler failures.</summary>
public sealed class HttpResponseTests
{
    private static void Streamed(IRequest request, IResponse response)
    {
        response.Start(200, [new("Content-Type", "text/plain")]);
        response.Write("hello, "u8);
        response.Write("world"u8);
        response.Complete();
    }

    [Fact]
    public void Without_Content_Length_HTTP11_gets_chunked_encoding()
    {
        using var server = new HttpTestServer(Streamed);
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = client.ReadResponse();
        Assert.Equal("chunked", response.Header("Transfer-Encoding"));
        Assert.Equal("hello, world", response.BodyText);
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("hello, world", client.ReadResponse().BodyText);
    }

    [Fact]
    public void A_streamed_write_reaches_the_client_before_the_handler_returns()
    {
        using var clientSawFirstPart = new ManualResetEventSlim();
        bool handlerWaited = false;
        using var server = new HttpTestServer((request, response) =>
        {
            response.Start(200, [new("Content-Type", "text/event-stream")]);
            response.Write("data: first\n\n"u8);
            handlerWaited = clientSawFirstPart.Wait(TimeSpan.FromSeconds(10));
            response.Write("data: second\n\n"u8);
            response.Complete();
        });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Contains("data: first", client.ReadThrough("data: first"));
        clientSawFirstPart.Set();
        Assert.Contains("data: second", client.ReadThrough("data: second"));
        Assert.True(handlerWaited);
    }

    [Fact]
    public void Without_Content_Length_HTTP10_gets_a_close_delimited_body()
    {
        using var server = new HttpTestServer(Streamed);
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var response = client.ReadResponse();
        Assert.Null(response.Header("Transfer-Encoding"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal("hello, world", response.BodyText);
    }

    [Fact]
    public void HEAD_gets_the_headers_but_no_body()
    {
        using var server = new HttpTestServer((request, response) =>
        {
            response.Start(200, [new("Content-Length", "5")]);
            response.Write("hello"u8);
            response.Complete();
        });
        using var client = server.ConnectRaw();
        client.Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = client.ReadResponse(headRequest: true);
        Assert.Equal("5", head.Header("Content-Length"));
        Assert.Equal("hello", client.ReadResponse().BodyText);
    }

    [Fact]
    public void Status_204_has_no_body_and_no_framing()
    {
        using var server = new HttpTestServer((_, response) =>
        {
            response.Start(204, []);
            response.Write("ignored"u8);
            response.Complete();
        });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var first = client.ReadResponse();
        Assert.Equal(204, first.Status);
        Assert.Null(first.Header("Transfer-Encoding"));
        Assert.Equal(204, client.ReadResponse().Status);
    }

    [Fact]
    public async Task A_handler_exception_becomes_500_and_the_worker_serves_on()
    {
        using var server = new HttpTestServer((request, response) =>
        {
            if (request.RawPath == "/fail")
            {
                throw new InvalidOperationException("boom");
            }

            Streamed(request, response);
        });
        using (var client = server.CreateClient())
        {
            var failed = await client.GetAsync("/fail");
            Assert.Equal(500, (int)failed.StatusCode);
        }

        using (var client = server.CreateClient())
        {
            Assert.Equal("hello, world", await client.GetStringAsync("/ok"));
        }

        Assert.True(server.Logger.Has(1105));
    }

    [Fact]
    public void A_handler_exception_after_bytes_were_sent_aborts_the_connection()
    {
        using var server = new HttpTestServer((_, response) =>
        {
            response.Start(200, []);
            response.Write(new byte[200_000]);
            throw new InvalidOperationException("boom");
        });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(client.ServerClosed());
        Assert.True(server.Logger.Has(1106));
    }

    [Fact]
    public async Task CR_or_LF_in_a_response_header_becomes_500()
    {
        using var server = new HttpTestServer((_, response) => response.Start(200, [new("X-Evil", "a\r\nSet-Cookie: x=1")]));
        using var client = server.CreateClient();
        var response = await client.GetAsync("/");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_response_left_incomplete_is_completed_with_a_warning()
    {
        using var server = new HttpTestServer((_, response) =>
        {
            response.Start(200, []);
            response.Write("partial"u8);
        });
        using var client = server.CreateClient();
        Assert.Equal("partial", await client.GetStringAsync("/"));
        Assert.True(server.Logger.Has(1107));
    }

    [Fact]
    public async Task A_large_streamed_response_reaches_the_client_intact()
    {
        const int Piece = 48 * 1024;
        var data = new byte[8 * 1024 * 1024];
        new Random(42).NextBytes(data);
        using var server = new HttpTestServer((_, response) =>
        {
            response.Start(200, [new("Content-Type", "application/octet-stream")]);
            for (int offset = 0; offset < data.Length; offset += Piece)
            {
                response.Write(data.AsSpan(offset, Math.Min(Piece, data.Length - offset)));
            }

            response.Complete();
        });
        using var client = server.CreateClient();
        await using var stream = await client.GetStreamAsync("/");
        var received = new MemoryStream();
        await stream.CopyToAsync(received);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(received.ToArray()));
    }

    [Fact]
    public void A_client_that_stops_reading_is_given_up_after_the_write_timeout()
    {
        bool? disconnected = null;
        using var handlerStarted = new ManualResetEventSlim();
        using var server = new HttpTestServer(
            (_, response) =>
            {
                handlerStarted.Set();
                response.Start(200, []);
                for (int i = 0; i < 1000 && !response.ClientDisconnected; i++)
                {
                    response.Write(new byte[64 * 1024]);
                }

                disconnected = response.ClientDisconnected;
                response.Complete();
            },
            new() { WriteTimeoutSeconds = 1 });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(handlerStarted.Wait(TimeSpan.FromSeconds(20)));

        // The handler holds the loop thread until it gives up, so this runs after it.
        Assert.True(server.OnLoop(() => disconnected));
        Assert.True(server.Logger.Has(1111));
    }

    [Fact]
    public async Task The_request_describes_what_was_sent()
    {
        IRequest? seen = null;
        using var server = new HttpTestServer((request, response) =>
        {
            seen = request;
            Streamed(request, response);
        });
        using var client = server.CreateClient();
        using var message = new HttpRequestMessage(HttpMethod.Get, "/a%20b/c?x=1&y=%C3%A9");
        message.Headers.Add("X-Latin", "caf\u00e9");
        (await client.SendAsync(message)).EnsureSuccessStatusCode();

        Assert.NotNull(seen);
        Assert.Equal("GET", seen.Method);
        Assert.Equal("/a%20b/c?x=1&y=%C3%A9", seen.RawTarget);
        Assert.Equal("/a%20b/c", seen.RawPath);
        Assert.Equal("x=1&y=%C3%A9", seen.QueryString);
        Assert.Equal("HTTP/1.1", seen.Protocol);
        Assert.Equal("http", seen.Scheme);
        Assert.Equal("127.0.0.1", seen.RemoteAddress);
        Assert.Equal("127.0.0.1", seen.ServerAddress);
        Assert.Equal(server.Port, seen.ServerPort);
        Assert.InRange(seen.RemotePort, 1, 65535);
        Assert.Contains(seen.Headers, h => h.Key == "Host" && h.Value == $"127.0.0.1:{server.Port}");
        Assert.Contains(seen.Headers, h => h.Key == "X-Latin" && Encoding.Latin1.GetBytes(h.Value).SequenceEqual(Encoding.Latin1.GetBytes("caf\u00e9")));
        Assert.True(seen.Body.IsEmpty);
    }

    [Fact]
    public void Repeated_header_fields_stay_separate_and_in_order()
    {
        IRequest? seen = null;
        using var server = new HttpTestServer((request, response) =>
        {
            seen = request;
            Streamed(request, response);
        });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nhost: x\r\nX-A: 1\r\nX-B:\t two \r\nX-A: 3\r\nX-Empty:\r\n\r\n");
        Assert.Equal(200, client.ReadResponse().Status);
        Assert.Equal(
            [new("host", "x"), new("X-A", "1"), new("X-B", "two"), new("X-A", "3"), new("X-Empty", "")],
            seen!.Headers);
    }
}
