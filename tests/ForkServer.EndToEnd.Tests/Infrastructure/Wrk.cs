using System.Text.RegularExpressions;

namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>
/// wrk, the HTTP load generator (scripts/install-deps.sh installs it), run as a real process against one port:
/// keep-alive connections sending GET / back to back for a fixed time. Killed by pid if it overruns.
/// </summary>
internal static partial class Wrk
{
    /// <summary>What one run reported.</summary>
    public sealed record Report(long Requests, bool SocketErrors, bool Non2xx, string Output)
    {
        public bool Failed => SocketErrors || Non2xx || Requests == 0;
    }

    /// <summary>Runs <c>wrk -t2 -c16 -d&lt;duration&gt; --latency</c> against 127.0.0.1:<paramref name="port"/> and waits (bounded) for its report.</summary>
    public static Report Run(int port, TimeSpan duration, int threads = 2, int connections = 16)
    {
        using var wrk = ForkServerProcess.StartProgram("wrk", Path.GetTempPath(),
            $"-t{threads}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", $"http://127.0.0.1:{port}/");
        int exitCode = wrk.WaitForExit(duration + TimeSpan.FromSeconds(30));
        string output = wrk.Output;
        Assert.True(exitCode == 0, $"wrk exited with {exitCode}:\n{output}");
        var requests = RequestsLine().Match(output);
        return new Report(
            requests.Success ? long.Parse(requests.Groups[1].Value) : 0,
            output.Contains("Socket errors", StringComparison.Ordinal),
            output.Contains("Non-2xx", StringComparison.Ordinal),
            output);
    }

    // "  981234 requests in 20.00s, 110.42MB read"
    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex RequestsLine();
}
