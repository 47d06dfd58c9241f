using System.Text.RegularExpressions;
using ForkServer.Abstractions;
using ForkServer.Kernel.Http.RequestLog;
using ForkServer.Kernel.Logging;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>The request log line a worker writes after each response: uWSGI's default line, log-format, log-x-forwarded-for.</summary>
public sealed class RequestLogTests : IDisposable
{
    private const string OkHead = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n";

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"requestlog-{Guid.NewGuid():N}.log");
    private readonly FileStream _stream;

    public RequestLogTests() => _stream = new FileStream(_file, FileMode.CreateNew, FileAccess.Write);

    public void Dispose()
    {
        _stream.Dispose();
        File.Delete(_file);
    }

    private static void Hello(IRequest request, IResponse response)
    {
        response.Start(200, [new("Content-Type", "text/plain"), new("Content-Length", "5")]);
        response.Write("hello"u8);
        response.Complete();
    }

    [Fact]
    public void The_default_line_is_uWSGIs()
    {
        var lines = Serve(new RequestLogSettings(null, false, null), 7,
            "GET /hello?x=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\n",
            "HEAD /again HTTP/1.1\r\nHost: x\r\n\r\n");

        int pid = Environment.ProcessId;
        Assert.Matches(new Regex($@"^\[pid: {pid}\|app: 0\|req: 1/1\] 127\.0\.0\.1 \(\) \{{12 vars in 51 bytes\}} \[(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{{2}} [ 123]\d \d\d:\d\d:\d\d \d{{4}}\] GET /hello\?x=1 => generated 5 bytes in \d+ msecs \(HTTP/1\.1 200\) 2 headers in {OkHead.Length} bytes \(1 switches on core 0\)$"), lines[0]);
        Assert.Matches(new Regex(@"^\[pid: \d+\|app: 0\|req: 2/2\] .* HEAD /again => generated 0 bytes in \d+ msecs \(HTTP/1\.1 200\) 2 headers"), lines[1]);
    }

    [Fact]
    public void Log_format_substitutes_uWSGIs_variables_and_prints_a_dash_for_empty_ones()
    {
        var format = RequestLogFormat.Parse("%(method) %(uri) %(proto) %(status) %(rsize) %(hsize) %(size) %(addr) %(host) %(uagent) %(referer) %(wid) %(pid) %(headers) %(var.HTTP_X_REQUEST_ID) %(unset) %(time) 100%( %(msecs");
        var lines = Serve(new RequestLogSettings(format, false, null), 3,
            "GET /a?b=1 HTTP/1.1\r\nHost: example.org\r\nUser-Agent: agent/1\r\nX-Request-Id: id42\r\n\r\n");

        var match = Regex.Match(lines[0], @"^GET /a\?b=1 HTTP/1\.1 200 5 (\d+) (\d+) 127\.0\.0\.1 example\.org agent/1 - 3 (\d+) 2 id42 - (\d+) 100%\( %\(msecs$");
        Assert.True(match.Success, lines[0]);
        Assert.Equal(OkHead.Length, int.Parse(match.Groups[1].Value));
        Assert.Equal(OkHead.Length + 5, int.Parse(match.Groups[2].Value));
        Assert.Equal(Environment.ProcessId, int.Parse(match.Groups[3].Value));
        Assert.InRange(long.Parse(match.Groups[4].Value), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public void Log_x_forwarded_for_takes_the_address_from_the_header_when_there_is_one()
    {
        var format = RequestLogFormat.Parse("%(addr)");
        var lines = Serve(new RequestLogSettings(format, AddressFromForwardedFor: true, null), 1,
            "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(["203.0.113.7, 10.0.0.1", "127.0.0.1"], lines);
    }

    [Fact]
    public void Ftime_is_formatted_with_the_log_date_format()
    {
        var lines = Serve(new RequestLogSettings(RequestLogFormat.Parse("[%(ftime)]"), false, "%Y-%m-%dT%H:%M:%S"), 1,
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Matches(@"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\]$", lines[0]);
    }

    [Fact]
    public void Strftime_formats_as_C_does()
    {
        var time = new DateTimeOffset(2026, 12, 6, 3, 4, 5, TimeSpan.FromHours(-5.5));
        Assert.Equal("Sun Dec  6 03:04:05 2026", Strftime.Format("%a %b %e %H:%M:%S %Y", time));
        Assert.Equal("06/Dec/2026:03:04:05 -0530", Strftime.Format("%d/%b/%Y:%H:%M:%S %z", time));
        Assert.Equal("2026-12-06 03:04:05 100% %Q", Strftime.Format("%F %T 100%% %Q", time));
    }

    private List<string> Serve(RequestLogSettings settings, int workerId, params string[] requests)
    {
        using var server = new HttpTestServer(Hello);
        server.OnLoop(() => server.Http.RequestLog = new RequestLogWriter(settings, Environment.ProcessId, workerId, (int)_stream.SafeFileHandle.DangerousGetHandle()));
        using var client = server.ConnectRaw();
        foreach (string request in requests)
        {
            client.Send(request);
            client.ReadResponse(headRequest: request.StartsWith("HEAD ", StringComparison.Ordinal));
        }

        // The line is written after the response went out, before the server counts the request completed.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.RequestsCompleted < requests.Length && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        return File.ReadAllLines(_file).ToList();
    }
}
