using System.Buffers.Binary;
using System.Text;
using ForkServer.Kernel.Http.Internal;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>Reading request heads in uWSGI's protocol, as nginx's uwsgi_pass sends them, and refusing broken ones.</summary>
public sealed class UwsgiRequestReaderTests
{
    private static readonly ConnectionEndpoints Endpoints = new("", 0, "localhost", 0);

    [Fact]
    public void Makes_the_request_nginx_describes()
    {
        byte[] packet = Packet(
            ("QUERY_STRING", "a=1"), ("REQUEST_METHOD", "HEAD"), ("CONTENT_TYPE", "text/plain"), ("CONTENT_LENGTH", "5"),
            ("REQUEST_URI", "/p%20q?a=1"), ("PATH_INFO", "/p q"), ("SERVER_PROTOCOL", "HTTP/1.0"), ("REQUEST_SCHEME", "https"),
            ("REMOTE_ADDR", "10.0.0.9"), ("REMOTE_PORT", "4242"), ("SERVER_PORT", "443"), ("SERVER_NAME", "example.org"),
            ("HTTP_HOST", "example.org"), ("HTTP_ACCEPT_LANGUAGE", "fr"), ("HTTP_CONTENT_LENGTH", "99"), ("DOCUMENT_ROOT", "/srv"));

        Assert.True(UwsgiRequestReader.TryParse([.. packet, .. "hello"u8], 4096, Endpoints, out int consumed, out var request, out var framing));

        Assert.Equal(packet.Length, consumed);
        Assert.Same(HttpTokens.Head, request!.Method);
        Assert.True(request.IsHead);
        Assert.Equal("/p%20q?a=1", request.RawTarget);
        Assert.Equal("/p%20q", request.RawPath);
        Assert.Equal("a=1", request.QueryString);
        Assert.True(request.IsHttp10);
        Assert.True(request.ViaUwsgi);
        Assert.Equal("https", request.Scheme);
        Assert.Equal(("10.0.0.9", 4242, "example.org", 443), (request.RemoteAddress, request.RemotePort, request.ServerAddress, request.ServerPort));
        Assert.Equal(
            ["Host: example.org", "Accept-Language: fr", "Content-Length: 5", "Content-Type: text/plain"],
            request.Headers.Select(h => $"{h.Key}: {h.Value}"));
        Assert.Equal((BodyEncoding.ContentLength, 5L, false), (framing.Encoding, framing.ContentLength, framing.KeepAlive));
    }

    [Fact]
    public void Waits_for_the_whole_packet_and_rebuilds_the_target_from_path_info_without_request_uri()
    {
        byte[] packet = Packet(("REQUEST_METHOD", "GET"), ("PATH_INFO", "/a b%"), ("QUERY_STRING", "x=1"));
        for (int length = 0; length < packet.Length; length++)
        {
            Assert.False(UwsgiRequestReader.TryParse(packet.AsSpan(0, length), 4096, Endpoints, out _, out _, out _));
        }

        Assert.True(UwsgiRequestReader.TryParse(packet, 4096, Endpoints, out _, out var request, out var framing));
        Assert.Equal("/a%20b%25?x=1", request!.RawTarget);
        Assert.Equal(BodyEncoding.None, framing.Encoding);
        Assert.Equal(("", 0, "localhost", 0), (request.RemoteAddress, request.RemotePort, request.ServerAddress, request.ServerPort));
    }

    [Theory]
    [InlineData("example.org:8080", "example.org")]
    [InlineData("[::1]:8080", "[::1]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("example.org", "example.org")]
    public void An_empty_server_name_from_nginx_falls_back_to_the_host_field(string host, string serverName)
    {
        byte[] packet = Packet(("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/"), ("SERVER_NAME", ""), ("HTTP_HOST", host));
        Assert.True(UwsgiRequestReader.TryParse(packet, 4096, Endpoints, out _, out var request, out _));
        Assert.Equal(serverName, request!.ServerAddress);
    }

    [Fact]
    public void Refuses_a_variable_running_past_the_packet()
    {
        byte[] packet = Packet(("REQUEST_METHOD", "GET"));
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(4 + 2 + "REQUEST_METHOD".Length), 200);
        Assert.Equal(400, Refusal(packet, 4096));
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("G(T", "/")]
    public void Refuses_a_missing_or_malformed_method(string method, string uri)
        => Assert.Equal(400, Refusal(Packet(("REQUEST_METHOD", method), ("REQUEST_URI", uri)), 4096));

    [Fact]
    public void Refuses_a_malformed_content_length() =>
        Assert.Equal(400, Refusal(Packet(("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "-1")), 4096));

    [Fact]
    public void Refuses_a_packet_larger_than_buffer_size_from_its_header_alone()
    {
        byte[] packet = Packet(("REQUEST_METHOD", "GET"), ("HTTP_COOKIE", new string('c', 5000)));
        Assert.Equal(431, Refusal(packet.AsSpan(0, 4).ToArray(), 4096));
    }

    private static int Refusal(byte[] packet, int maxHeaderBytes)
        => Assert.Throws<ForkServer.Kernel.Http.Internal.HttpProtocolException>(() => UwsgiRequestReader.TryParse(packet, maxHeaderBytes, Endpoints, out _, out _, out _)).Status;

    private static byte[] Packet(params (string Key, string Value)[] variables)
    {
        var body = new List<byte>();
        foreach (var (key, value) in variables)
        {
            foreach (string text in new[] { key, value })
            {
                byte[] bytes = Encoding.Latin1.GetBytes(text);
                body.Add((byte)bytes.Length);
                body.Add((byte)(bytes.Length >> 8));
                body.AddRange(bytes);
            }
        }

        return [5, (byte)body.Count, (byte)(body.Count >> 8), 0, .. body];
    }
}
