using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// Connections that arrive together are shared between the workers: a worker busy with a request holds no
/// connection that an idle worker could have served. A PSGI vassal with 2 workers and apps/fairness.psgi; the
/// clients connect first and send their requests after, the way a browser's preconnected sockets do.
/// </summary>
public sealed partial class WorkerFairnessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ServingVassal _vassal = ServingVassal.Start("fairness.psgi", processes: 2);

    public void Dispose() => _vassal.Dispose();

    [Fact]
    public async Task Six_simultaneous_one_second_requests_to_two_workers_finish_in_three_rounds()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var clients = await ConnectAll(6, timeout.Token);
        try
        {
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(clients.Select(async client =>
            {
                await client.SendAsync(Request("/sleep?1"), timeout.Token);
                string response = await ReadToEnd(client, timeout.Token);
                return (Pid: WorkerPid(response), Seconds: clock.Elapsed.TotalSeconds);
            }));

            // Three rounds of two take 3 s; one worker serving all six one after another takes at least 6 s.
            double last = answers.Max(a => a.Seconds);
            string detail = string.Join(", ", answers.OrderBy(a => a.Seconds).Select(a => $"{a.Seconds:0.0} s by {a.Pid}"));
            Assert.True(last < 5.0, $"the last of 6 requests finished after {last:0.0} s ({detail})");
            Assert.True(answers.CountBy(a => a.Pid).All(served => served.Value == 3), $"not 3 requests per worker: {detail}");
        }
        finally
        {
            CloseAll(clients);
        }
    }

    [Fact]
    public async Task Slow_readers_that_arrive_together_are_spread_over_both_workers()
    {
        using var timeout = new CancellationTokenSource(Deadline);

        // Each asks for 16 MB and reads only the start: its worker stays blocked sending the rest (up to the 30 s
        // write timeout). The first two must be taken by different workers; the other two wait in the queue.
        var clients = await ConnectAll(4, timeout.Token, receiveBuffer: 4096);
        try
        {
            foreach (var client in clients)
            {
                await client.SendAsync(Request("/big?16777216"), timeout.Token);
            }

            var pending = clients.Select(client => ReadUntilPid(client, timeout.Token)).ToList();
            var giveUp = Task.Delay(TimeSpan.FromSeconds(15), timeout.Token);
            var pids = new HashSet<string>();
            while (pids.Count < 2 && pending.Count > 0)
            {
                var first = await Task.WhenAny(pending.Append(giveUp));
                if (first == giveUp)
                {
                    break;
                }

                pending.Remove((Task<string>)first);
                pids.Add(await (Task<string>)first);
            }

            Assert.True(pids.Count == 2, $"within 15 s the 4 slow readers got answers from {pids.Count} worker(s): {string.Join(", ", pids)}");

            // Each worker holds only the reader it is sending to; the other two are still in the listen queue.
            var held = ProcessTree.ChildrenOf(_vassal.Server.Pid).Select(worker => ConnectionsHeld(worker, _vassal.Port)).ToList();
            Assert.True(held.All(n => n == 1), $"connections held per worker: {string.Join("/", held)}");
        }
        finally
        {
            CloseAll(clients);
        }
    }

    private static byte[] Request(string target) => Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    private async Task<Socket[]> ConnectAll(int count, CancellationToken token, int? receiveBuffer = null)
    {
        var clients = new Socket[count];
        for (int i = 0; i < count; i++)
        {
            clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (receiveBuffer is int size)
            {
                clients[i].ReceiveBufferSize = size; // set before connecting, so the window stays small
            }
        }

        await Task.WhenAll(clients.Select(c => c.ConnectAsync("127.0.0.1", _vassal.Port, token).AsTask()));
        return clients;
    }

    private static void CloseAll(IEnumerable<Socket> clients)
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static async Task<string> ReadToEnd(Socket client, CancellationToken token)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    /// <summary>Reads until the body's <c>pid=</c> line is there; returns the pid.</summary>
    private static async Task<string> ReadUntilPid(Socket client, CancellationToken token)
    {
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (PidLine().Match(received.ToString()) is { Success: false })
        {
            int n = await client.ReceiveAsync(buffer, SocketFlags.None, token);
            if (n == 0)
            {
                throw new IOException($"connection closed before the pid line: {received}");
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return PidLine().Match(received.ToString()).Groups["pid"].Value;
    }

    /// <summary>ESTABLISHED connections to <paramref name="port"/> among the sockets process <paramref name="pid"/> has open.</summary>
    private static int ConnectionsHeld(int pid, int port)
    {
        // /proc/net/tcp: "sl local rem st ... inode": the local address as hex ip:port, state 01 is ESTABLISHED.
        var established = File.ReadLines("/proc/net/tcp").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] == "01" && Convert.ToInt32(f[1].Split(':')[1], 16) == port)
            .Select(f => $"socket:[{f[9]}]")
            .ToHashSet();
        return Directory.GetFiles($"/proc/{pid}/fd").Count(fd => new FileInfo(fd).LinkTarget is { } target && established.Contains(target));
    }

    private static string WorkerPid(string response)
    {
        var match = PidLine().Match(response);
        Assert.True(match.Success && response.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), $"not a 200 from the app: {response}");
        return match.Groups["pid"].Value;
    }

    [GeneratedRegex(@"\r\n\r\npid=(?<pid>\d+)\n")]
    private static partial Regex PidLine();
}
