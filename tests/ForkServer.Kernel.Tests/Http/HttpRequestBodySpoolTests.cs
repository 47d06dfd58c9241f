using System.Text;
using ForkServer.Abstractions;
using ForkServer.Kernel.Http;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>Bodies above post-buffering, or past the worker's memory budget, are spooled to an unlinked file.</summary>
public sealed class HttpRequestBodySpoolTests
{
    private static readonly HttpLimits SmallBuffers = new() { PostBufferingBytes = 1000, MaxBufferedBodyBytes = 1500 };

    /// <summary>Answers "memory" or "file", then the body, as the handler read it.</summary>
    private static void DescribeBody(IRequest request, IResponse response)
    {
        byte[] body = RequestBodies.ReadAll(request);
        Assert.Equal(body.Length, request.BodyLength);
        byte[] text = [.. Encoding.ASCII.GetBytes(request.BodyFile >= 0 ? "file:" : "memory:"), .. body];
        response.Start(200, [new("Content-Length", text.Length.ToString())]);
        response.Write(text);
        response.Complete();
    }

    [Theory]
    [InlineData(1000, "memory")]
    [InlineData(1001, "file")]
    public void A_Content_Length_body_above_post_buffering_is_read_from_a_file(int length, string where)
    {
        using var server = new HttpTestServer(DescribeBody, SmallBuffers);
        using var client = server.ConnectRaw();
        string body = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));
        client.Send($"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n{body}");
        Assert.Equal($"{where}:{body}", client.ReadResponse().BodyText);
    }

    [Fact]
    public void A_chunked_body_outgrowing_post_buffering_moves_to_a_file_whole()
    {
        using var server = new HttpTestServer(DescribeBody, SmallBuffers);
        using var client = server.ConnectRaw();
        string piece = new('x', 700);
        client.Send($"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2bc\r\n{piece}\r\n");
        client.Send($"2bc\r\n{piece.Replace('x', 'y')}\r\n0\r\n\r\n");
        Assert.Equal("file:" + piece + piece.Replace('x', 'y'), client.ReadResponse().BodyText);
    }

    [Fact]
    public void Bodies_past_the_worker_budget_are_spooled_though_each_is_small()
    {
        using var server = new HttpTestServer(DescribeBody, SmallBuffers);
        using var first = server.ConnectRaw();
        using var second = server.ConnectRaw();

        // Both bodies are being received at once: 900 + 900 bytes exceed the 1500-byte budget.
        first.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n" + new string('1', 899));
        Assert.True(SpinWait.SpinUntil(() => server.OnLoop(() => server.Http.BodyMemory.Reserved) == 900, TimeSpan.FromSeconds(10)));
        second.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n" + new string('2', 900));
        Assert.Equal("file:" + new string('2', 900), second.ReadResponse().BodyText);
        first.Send("1");
        Assert.Equal("memory:" + new string('1', 900), first.ReadResponse().BodyText);

        // Everything went back to the budget once the requests were served.
        Assert.Equal(0, server.OnLoop(() => server.Http.BodyMemory.Reserved));
    }

    [Fact]
    public void A_connection_dropped_mid_body_gives_its_memory_back()
    {
        using var server = new HttpTestServer(DescribeBody, SmallBuffers);
        using (var client = server.ConnectRaw())
        {
            client.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\nabc");
            Assert.True(SpinWait.SpinUntil(() => server.OnLoop(() => server.Http.BodyMemory.Reserved) == 900, TimeSpan.FromSeconds(10)));
        }

        Assert.True(SpinWait.SpinUntil(() => server.OnLoop(() => server.Http.BodyMemory.Reserved) == 0, TimeSpan.FromSeconds(10)));
    }
}
