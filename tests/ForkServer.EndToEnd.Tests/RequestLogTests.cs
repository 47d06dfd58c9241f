using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// The request log of the real binary: uWSGI's line per request by default, <c>disable-logging</c>, <c>log-format</c>,
/// <c>log-x-forwarded-for</c>, and a <c>logto</c> file that logrotate moves away and SIGUSR2 reopens.
/// </summary>
public sealed class RequestLogTests : IDisposable
{
    private const int SIGUSR2 = 12;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_request_gets_uWSGIs_default_line_from_the_worker_that_served_it()
    {
        var (server, port) = StartVassal("");
        using (server)
        {
            using var client = Http.Client(port);
            string worker = Http.Facts(await client.GetStringAsync("info?x=1"))["pid"];

            server.WaitForLine(new Regex(
                $@"^\[pid: {worker}\|app: 0\|req: 1/1\] 127\.0\.0\.1 \(\) \{{\d+ vars in \d+ bytes\}} \[[A-Z][a-z]{{2}} [A-Z][a-z]{{2}} [ 123]\d \d\d:\d\d:\d\d \d{{4}}\] GET /info\?x=1 => generated \d+ bytes in \d+ msecs \(HTTP/1\.1 200\) \d+ headers in \d+ bytes \(1 switches on core 0\)$"));
        }
    }

    [Fact]
    public async Task Disable_logging_writes_no_request_line()
    {
        var (server, port) = StartVassal("disable-logging = true\n");
        using (server)
        {
            // One worker, one connection: the second answer means the first request's line would have been written.
            using var client = Http.Client(port);
            await client.GetStringAsync("info?first");
            await client.GetStringAsync("info?second");

            Assert.DoesNotContain("/info?first", server.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Log_format_and_log_x_forwarded_for_shape_the_line()
    {
        // %% is the ini's escape for %, in uWSGI as here.
        var (server, port) = StartVassal("log-format = %%(addr) - %%(user) \"%%(method) %%(uri) %%(proto)\" %%(status) %%(rsize) wid=%%(wid) pid=%%(pid) ua=\"%%(uagent)\" id=%%(var.HTTP_X_REQUEST_ID)\nlog-x-forwarded-for = true\n");
        using (server)
        {
            using var client = Http.Client(port);
            using var request = new HttpRequestMessage(HttpMethod.Get, "info?y=2");
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            request.Headers.Add("X-Request-Id", "abc123");
            request.Headers.UserAgent.ParseAdd("probe/1.0");
            using var response = await client.SendAsync(request);
            string worker = Http.Facts(await response.Content.ReadAsStringAsync())["pid"];

            server.WaitForLine(new Regex($@"^203\.0\.113\.9 - - ""GET /info\?y=2 HTTP/1\.1"" 200 \d+ wid=1 pid={worker} ua=""probe/1\.0"" id=abc123$"));
        }
    }

    [Fact]
    public async Task Log_date_with_a_format_dates_server_lines_and_ftime()
    {
        var (server, port) = StartVassal("log-date = %%Y-%%m-%%dT%%H:%%M:%%S\nlog-format = [%%(ftime)] %%(uri)\n");
        using (server)
        {
            server.WaitForLine(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d \[INF\] \[pid \d+\] master: .*serving"));
            using var client = Http.Client(port);
            await client.GetStringAsync("info?dated");

            server.WaitForLine(new Regex(@"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\] /info\?dated$"));
        }
    }

    [Fact]
    public async Task SIGUSR2_after_a_rename_moves_the_master_and_every_worker_to_a_new_file()
    {
        string log = Path.Combine(_dir.Path, "app.log");
        string ini = _dir.Write("app.ini", $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\nprocesses = 2\nlogto = {log}\npsgi = {RepositoryLayout.App("info.psgi")}\n");
        using var server = ForkServerProcess.Start(_dir.Path, "--ini", ini);
        int port = int.Parse(WaitInFile(log, ForkServerProcess.ServingLine()).Groups["port"].Value);
        WaitInFile(log, ForkServerProcess.AllReadyLine());
        var workers = ProcessTree.ChildrenOf(server.Pid);
        Assert.Equal(2, workers.Count);

        // logrotate's default: move the file away, then tell the server.
        string rotated = log + ".1";
        File.Move(log, rotated);
        ProcessTree.Signal(server.Pid, SIGUSR2);
        foreach (int pid in workers.Prepend(server.Pid))
        {
            WaitInFile(log, new Regex($@"\[pid {pid}\] .*log file {Regex.Escape(log)} reopened"));
        }

        // Fresh connections until both workers answered: each one's request line is in the new file, none in the old.
        string marker = "after" + Guid.NewGuid().ToString("N")[..8];
        var answered = new HashSet<string>();
        using var client = Http.Client(port);
        var deadline = DateTime.UtcNow + Bound;
        while (answered.Count < 2 && DateTime.UtcNow < deadline)
        {
            answered.Add(Http.Facts((await Http.GetFresh(client, $"info?{marker}")).Body)["pid"]);
        }

        Assert.Equal(2, answered.Count);
        foreach (string pid in answered)
        {
            WaitInFile(log, new Regex($@"^\[pid: {pid}\|.* GET /info\?{marker} => generated", RegexOptions.Multiline));
        }

        Assert.DoesNotContain(marker, File.ReadAllText(rotated), StringComparison.Ordinal);
        Assert.Contains("serving", File.ReadAllText(rotated), StringComparison.Ordinal);
    }

    private (ForkServerProcess Server, int Port) StartVassal(string options)
    {
        string ini = _dir.Write("app.ini", $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\nprocesses = 1\n{options}psgi = {RepositoryLayout.App("info.psgi")}\n");
        return ForkServerProcess.StartServing(_dir.Path, "--ini", ini);
    }

    /// <summary>Waits (bounded) until the file has a match: the vassal logs there, not to the test.</summary>
    private static Match WaitInFile(string path, Regex pattern)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            string text = File.Exists(path) ? File.ReadAllText(path) : "";
            var match = pattern.Match(text);
            if (match.Success)
            {
                return match;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no match of /{pattern}/ in {path}: {text}");
            Thread.Sleep(50); // a file has no readiness signal: polled
        }
    }
}
