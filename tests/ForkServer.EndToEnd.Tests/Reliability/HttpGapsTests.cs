using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// Issue 18 item 10: hostile clients and careless apps against a real PSGI vassal, over a raw socket. Each request
/// ends with a request the server must not serve, or with <c>Connection: close</c>, so every exchange ends with the
/// server's close and nothing can hang.
/// </summary>
public sealed class HttpGapsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string Close = "GET /env HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    private readonly ServingVassal _vassal = ServingVassal.Start("hostile_http.psgi", processes: 1);

    public void Dispose() => _vassal.Dispose();

    [Fact]
    public async Task Chunked_HTTP10_keep_alive_is_refused_with_400_and_the_pipelined_request_is_not_served()
    {
        string text = await Exchange("POST /body HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n0\r\n\r\n" + "GET /env HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400 ", text);
        Assert.Equal(1, RawExchange.CountResponses(text));
    }

    [Fact]
    public async Task A_header_name_with_underscores_is_dropped_not_merged()
    {
        string text = await Exchange("GET /env HTTP/1.1\r\nHost: x\r\nX_Forwarded_For: 6.6.6.6\r\nX-Forwarded-For: 1.2.3.4\r\nConnection: close\r\n\r\n");
        Assert.Contains("\nHTTP_X_FORWARDED_FOR=1.2.3.4", text);
        Assert.DoesNotContain("6.6.6.6", text);
    }

    [Fact]
    public async Task An_app_Transfer_Encoding_chunked_with_an_array_body_gets_a_Content_Length_only()
    {
        string text = await Exchange("GET /te-array HTTP/1.1\r\nHost: x\r\n\r\n" + Close);
        string head = RawExchange.FirstHead(text);
        Assert.StartsWith("HTTP/1.1 200 ", head);
        Assert.DoesNotContain("Transfer-Encoding", head);
        Assert.Contains("Content-Length: 10\r\n", head);
        Assert.StartsWith(head + "helloworldHTTP/1.1 200 ", text);
    }

    [Fact]
    public async Task An_app_Transfer_Encoding_chunked_on_a_streamed_body_is_chunk_encoded_by_the_server()
    {
        string text = await Exchange("GET /te-stream HTTP/1.1\r\nHost: x\r\n\r\n" + Close);
        string head = RawExchange.FirstHead(text);
        Assert.Single(Regex.Matches(head, "Transfer-Encoding: chunked"));
        Assert.DoesNotContain("Content-Length", head);
        Assert.StartsWith(head + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\nHTTP/1.1 200 ", text);
    }

    [Theory]
    [InlineData("100")]
    [InlineData("101")]
    public async Task An_app_1xx_final_status_becomes_a_500_and_the_next_request_is_answered(string status)
    {
        string text = await Exchange($"GET /status?{status} HTTP/1.1\r\nHost: x\r\n\r\n" + Close);
        Assert.StartsWith("HTTP/1.1 500 ", text);
        Assert.DoesNotContain("sent as final", text);
        Assert.Equal(2, RawExchange.CountResponses(text));
        Assert.Contains("PATH_INFO=/env", text);
        _vassal.Server.WaitForLine(new Regex("The application failed on GET /status"));
    }

    [Theory]
    [InlineData("/nul")]
    [InlineData("/vt")]
    public async Task A_control_byte_in_an_app_header_value_becomes_a_500(string path)
    {
        string text = await Exchange($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n" + Close);
        Assert.StartsWith("HTTP/1.1 500 ", text);
        Assert.DoesNotContain("X-Bad", text);
        Assert.Contains("PATH_INFO=/env", text);
        _vassal.Server.WaitForLine(new Regex("control character in its value"));
    }

    [Theory]
    [InlineData("GET /env HTTP/1.1\r\nConnection: close\r\n\r\n")]
    [InlineData("GET /env HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")]
    public async Task No_Host_or_two_Hosts_get_400(string request)
    {
        string text = await Exchange(request);
        Assert.StartsWith("HTTP/1.1 400 ", text);
        Assert.DoesNotContain("PATH_INFO", text);
    }

    [Fact]
    public async Task An_absolute_form_target_gives_its_path_and_its_host()
    {
        string text = await Exchange("GET http://evil.example/env HTTP/1.1\r\nHost: good.example\r\nConnection: close\r\n\r\n");
        Assert.Contains("PATH_INFO=/env\n", text);
        Assert.Contains("REQUEST_URI=/env\n", text);
        Assert.Contains("HTTP_HOST=evil.example\n", text);
    }

    [Fact]
    public async Task Bare_LF_line_endings_get_400_at_once()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string text = await Exchange("GET /env HTTP/1.1\nHost: x\n\n");
        Assert.StartsWith("HTTP/1.1 400 ", text);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("/undef")]
    [InlineData("/stream-bad-header")]
    public async Task An_undef_body_or_a_bad_streamed_header_gets_a_500_not_an_empty_close(string path)
    {
        string text = await Exchange($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 500 ", text);
    }

    private Task<string> Exchange(string request) => RawExchange.SendAndReadToClose(_vassal.Port, request, Timeout);
}
