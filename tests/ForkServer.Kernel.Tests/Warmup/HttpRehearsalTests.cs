using ForkServer.Kernel.Http;
using ForkServer.Kernel.Warmup;
using Microsoft.Extensions.Logging.Abstractions;

namespace ForkServer.Kernel.Tests.Warmup;

public sealed class HttpRehearsalTests
{
    [Fact]
    public void Serves_a_keep_alive_request_then_a_pipelined_one_with_a_body()
    {
        string received = HttpRehearsal.Run(new HttpLimits(), NullLogger.Instance);

        var responses = received.Split("HTTP/1.1 200 OK\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, responses.Length);
        Assert.Contains("GET /rehearsal?x=1 /rehearsal x=1 HTTP/1.1 http 127.0.0.1:", responses[0]);
        Assert.Contains("POST /rehearsal /rehearsal  HTTP/1.1 http 127.0.0.1:", responses[1]);
        Assert.Contains("\nContent-Type: text/plain", responses[1]);
    }

    [Fact]
    public void Serves_a_uwsgi_request_with_a_body_and_closes_after_it()
    {
        string received = HttpRehearsal.RunUwsgi(new HttpLimits(), NullLogger.Instance);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", received);
        Assert.Single(received.Split("HTTP/1.1 200 OK\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("POST /rehearsal?x=1 /rehearsal x=1 HTTP/1.1 http 127.0.0.1:40000 localhost:80 2 2 -1", received);
        Assert.Contains("\nHost: localhost", received);
        Assert.Contains("\nUser-Agent: forkserver", received);
        Assert.Contains("\nContent-Type: text/plain", received);
    }
}
