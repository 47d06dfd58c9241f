namespace ForkServer.Kernel.Tests.Http;

/// <summary>Requests the server must refuse, each with its status, a closed connection and no handler call.</summary>
public sealed class HttpProtocolErrorTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501)]
    [InlineData("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505)]
    [InlineData("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /\r\n\r\n", 400)]
    [InlineData("GET  HTTP/1.1\r\n\r\n", 400)]
    [InlineData("G(T / HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET / FTP/1.1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nNo colon\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nName : value\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\ny\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    public void Refused_with_status(string request, int status)
    {
        using var server = new HttpTestServer((_, _) => Assert.Fail("the handler must not run"));
        using var client = server.ConnectRaw();
        client.Send(request);
        var response = client.ReadResponse();
        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(client.ServerClosed());
        Assert.Equal(0, server.RequestsCompleted);
    }

    [Fact]
    public void Headers_over_the_limit_get_431()
    {
        using var server = new HttpTestServer((_, _) => Assert.Fail("the handler must not run"), new() { MaxHeaderBytes = 1024 });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 2000) + "\r\n\r\n");
        Assert.Equal(431, client.ReadResponse().Status);
        Assert.True(client.ServerClosed());
    }

    [Fact]
    public void An_endless_head_gets_431_without_waiting_for_its_end()
    {
        using var server = new HttpTestServer((_, _) => Assert.Fail("the handler must not run"), new() { MaxHeaderBytes = 1024 });
        using var client = server.ConnectRaw();
        client.Send("GET / HTTP/1.1\r\nX-Big: " + new string('a', 1100));
        Assert.Equal(431, client.ReadResponse().Status);
    }
}
