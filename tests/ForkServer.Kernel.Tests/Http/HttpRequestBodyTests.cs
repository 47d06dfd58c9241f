using System.Net.Http.Headers;
using ForkServer.Abstractions;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>Request bodies: lengths, chunking, 100-continue and the size limit.</summary>
public sealed class HttpRequestBodyTests
{
    private static void EchoBody(IRequest request, IResponse response)
    {
        byte[] body = RequestBodies.ReadAll(request);
        response.Start(200, [new("Content-Type", "application/octet-stream"), new("Content-Length", body.Length.ToString())]);
        response.Write(body);
        response.Complete();
    }

    [Fact]
    public async Task A_Content_Length_body_arrives_whole()
    {
        using var server = new HttpTestServer(EchoBody);
        using var client = server.CreateClient();
        var body = new byte[300_000];
        Random.Shared.NextBytes(body);
        var response = await client.PostAsync("/", new ByteArrayContent(body));
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Every_byte_value_round_trips()
    {
        using var server = new HttpTestServer(EchoBody);
        using var client = server.CreateClient();
        var body = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var response = await client.PostAsync("/", new ByteArrayContent(body));
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_chunked_body_from_HttpClient_is_dechunked()
    {
        using var server = new HttpTestServer(EchoBody);
        using var client = server.CreateClient();
        var body = new byte[100_000];
        Random.Shared.NextBytes(body);
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await client.SendAsync(request);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void Chunk_extensions_and_trailers_are_skipped()
    {
        using var server = new HttpTestServer(EchoBody);
        using var client = server.ConnectRaw();
        client.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;name=value\r\nhello\r\n");
        client.Send("7 ; other\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n");
        client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("hello, world", client.ReadResponse().BodyText);
        Assert.Equal(200, client.ReadResponse().Status);
    }

    [Fact]
    public void Expect_100_continue_gets_the_interim_response_before_the_body_is_sent()
    {
        using var server = new HttpTestServer(EchoBody);
        using var client = server.ConnectRaw();
        client.Send("PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        Assert.Equal(100, client.ReadResponse().Status);
        client.Send("data");
        var response = client.ReadResponse();
        Assert.Equal(200, response.Status);
        Assert.Equal("data", response.BodyText);
    }

    [Fact]
    public async Task HttpClient_with_Expect_100_continue_works()
    {
        using var server = new HttpTestServer(EchoBody);
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.ExpectContinue = true;
        var response = await client.PutAsync("/", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(new byte[] { 1, 2, 3 }, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void A_declared_body_over_the_limit_with_Expect_is_refused_without_reading_it()
    {
        using var server = new HttpTestServer(EchoBody, new() { MaxBodyBytes = 1000 });
        using var client = server.ConnectRaw();
        client.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\nExpect: 100-continue\r\n\r\n");
        var response = client.ReadResponse();
        Assert.Equal(413, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(client.ServerClosed());
        Assert.Equal(0, server.RequestsCompleted);
    }

    [Fact]
    public void A_declared_body_over_the_limit_is_refused()
    {
        using var server = new HttpTestServer(EchoBody, new() { MaxBodyBytes = 1000 });
        using var client = server.ConnectRaw();
        client.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + new string('a', 2000));
        Assert.Equal(413, client.ReadResponse().Status);
        Assert.True(client.ServerClosed());
    }

    [Fact]
    public void A_chunked_body_growing_over_the_limit_is_refused()
    {
        using var server = new HttpTestServer(EchoBody, new() { MaxBodyBytes = 1000 });
        using var client = server.ConnectRaw();
        client.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "200\r\n" + new string('a', 0x200) + "\r\n200\r\n");
        Assert.Equal(413, client.ReadResponse().Status);
    }

    [Fact]
    public async Task HttpClient_sees_413_for_a_large_upload()
    {
        using var server = new HttpTestServer(EchoBody, new() { MaxBodyBytes = 10 });
        using var client = server.CreateClient();
        var content = new ByteArrayContent(new byte[100]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await client.PostAsync("/", content);
        Assert.Equal(413, (int)response.StatusCode);
    }
}
