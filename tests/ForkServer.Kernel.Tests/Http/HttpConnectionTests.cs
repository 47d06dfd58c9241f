using System.Text;
using ForkServer.Abstractions;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>Persistence and pipelining.</summary>
public sealed class HttpConnectionTests
{
    private static void EchoPeer(IRequest request, IResponse response)
    {
        var body = Encoding.ASCII.GetBytes($"{request.RemotePort} {request.Method} {request.RawTarget}");
        response.Start(200, [new("Content-Type", "text/plain"), new("Content-Length", body.Length.ToString())]);
        response.Write(body);
        response.Complete();
    }

    [Fact]
    public async Task Keep_alive_serves_two_requests_on_one_connection()
    {
        using var server = new HttpTestServer(EchoPeer);
        using var client = server.CreateClient();
        string first = await client.GetStringAsync("/one");
        string second = await client.GetStringAsync("/two");
        Assert.EndsWith("GET /one", first);
        Assert.EndsWith("GET /two", second);
        Assert.Equal(first.Split(' ')[0], second.Split(' ')[0]);
        Assert.Equal(2, server.OnLoop(() => server.RequestsCompleted));
    }

    [Fact]
    public void Connection_close_is_honoured()
    {
        using var server = new HttpTestServer(EchoPeer);
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var response = client.ReadResponse();
        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(client.ServerClosed());
    }

    [Fact]
    public void Http10_closes_by_default_and_keeps_alive_when_asked()
    {
        using var server = new HttpTestServer(EchoPeer);
        using (var client = server.ConnectRaw())
        {
            client.Send("GET /a HTTP/1.0\r\n\r\n");
            Assert.Equal(200, client.ReadResponse().Status);
            Assert.True(client.ServerClosed());
        }

        using (var client = server.ConnectRaw())
        {
            client.Send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var first = client.ReadResponse();
            Assert.Equal("keep-alive", first.Header("Connection"));
            client.Send("GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Assert.EndsWith("GET /c", client.ReadResponse().BodyText);
        }
    }

    [Fact]
    public void Pipelined_requests_are_answered_in_order()
    {
        using var server = new HttpTestServer(EchoPeer);
        using var client = server.ConnectRaw();
        client.Send(
            "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n" +
            "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
            "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.EndsWith("GET /1", client.ReadResponse().BodyText);
        Assert.EndsWith("POST /2", client.ReadResponse().BodyText);
        Assert.EndsWith("GET /3", client.ReadResponse().BodyText);
    }

    [Fact]
    public void Idle_keep_alive_connections_expire()
    {
        using var server = new HttpTestServer(EchoPeer, new() { KeepAliveTimeoutSeconds = 1 });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, client.ReadResponse().Status);
        Assert.True(client.ServerClosed());
        Assert.True(server.OnLoop(() => server.Http.IsIdle));
    }

    [Fact]
    public void StopAccepting_finishes_the_request_in_flight_and_closes_idle_connections()
    {
        using var server = new HttpTestServer((request, response) =>
        {
            response.Start(200, [new("Content-Length", request.Body.Length.ToString())]);
            response.Write(request.Body.Span);
            response.Complete();
        });
        using var idle = server.ConnectRaw();
        idle.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, idle.ReadResponse().Status);

        using var inFlight = server.ConnectRaw();
        inFlight.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");

        // The interim response proves the server holds the parsed head before it is told to stop.
        Assert.Equal(100, inFlight.ReadResponse().Status);
        server.OnLoop(() =>
        {
            server.Http.StopAccepting();
            return 0;
        });
        Assert.True(idle.ServerClosed());
        Assert.False(server.OnLoop(() => server.Http.IsIdle));

        inFlight.Send("hello");
        var response = inFlight.ReadResponse();
        Assert.Equal("hello", response.BodyText);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(inFlight.ServerClosed());
        Assert.True(server.OnLoop(() => server.Http.IsIdle));
    }
}
