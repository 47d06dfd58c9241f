using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Clients that keep sending GET / to each vassal while faults are injected, one loop per vassal, each request on
/// a fresh connection (so every worker and every new master is reached), every outcome recorded with its time.
/// Optionally, beside each of those probes, sustained load: several keep-alive clients per vassal sending requests
/// back to back, their outcomes recorded apart (<see cref="LoadFailed"/>, <see cref="LoadSucceeded"/>).
/// </summary>
internal sealed class ClientLoop : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly ConcurrentQueue<Outcome> _loadOutcomes = new();
    private readonly List<Task> _loops = new();

    /// <param name="ports">The vassals by name, with their fixed HTTP ports.</param>
    /// <param name="loadClients">Keep-alive clients per vassal sending requests back to back (0: no load).</param>
    public ClientLoop(IReadOnlyDictionary<string, int> ports, int loadClients = 0)
    {
        foreach (var (name, port) in ports)
        {
            _loops.Add(Task.Run(() => Run(name, port)));
            for (int i = 0; i < loadClients; i++)
            {
                _loops.Add(Task.Run(() => RunLoad(name, port)));
            }
        }
    }

    /// <summary>One request: when it started and ended, and whether a 200 came back.</summary>
    public readonly record struct Outcome(string Vassal, DateTime Started, DateTime Ended, bool Ok);

    /// <summary>A TCP port nobody listens on now (bound and released: good enough for a test's vassals).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Waits (bounded) for a request to <paramref name="vassal"/> that started after <paramref name="since"/> to
    /// succeed; returns the time from <paramref name="since"/> to its answer.
    /// </summary>
    public TimeSpan WaitServing(string vassal, DateTime since, TimeSpan bound)
    {
        while (true)
        {
            var served = _outcomes.Where(o => o.Vassal == vassal && o.Ok && o.Started >= since).Select(o => (DateTime?)o.Ended).Min();
            if (served is { } at)
            {
                return at - since;
            }

            if (DateTime.UtcNow - since > bound)
            {
                Assert.Fail($"{vassal} did not serve within {bound.TotalSeconds} s of the fault ({Failed(vassal, since, DateTime.UtcNow)} failed requests)");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Requests to <paramref name="vassal"/> that started in [from, to] and failed.</summary>
    public int Failed(string vassal, DateTime from, DateTime to)
        => _outcomes.Count(o => o.Vassal == vassal && !o.Ok && o.Started >= from && o.Started <= to);

    /// <summary>Requests to <paramref name="vassal"/> that started in [from, to] and succeeded.</summary>
    public int Succeeded(string vassal, DateTime from, DateTime to)
        => _outcomes.Count(o => o.Vassal == vassal && o.Ok && o.Started >= from && o.Started <= to);

    /// <summary>Requests of the load clients to <paramref name="vassal"/> that started in [from, to] and failed.</summary>
    public int LoadFailed(string vassal, DateTime from, DateTime to)
        => _loadOutcomes.Count(o => o.Vassal == vassal && !o.Ok && o.Started >= from && o.Started <= to);

    /// <summary>Requests of the load clients to <paramref name="vassal"/> that started in [from, to] and succeeded.</summary>
    public int LoadSucceeded(string vassal, DateTime from, DateTime to)
        => _loadOutcomes.Count(o => o.Vassal == vassal && o.Ok && o.Started >= from && o.Started <= to);

    public void Dispose()
    {
        _stop.Cancel();
        Task.WaitAll(_loops.ToArray(), TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task Run(string vassal, int port)
    {
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = RequestTimeout, PooledConnectionLifetime = TimeSpan.Zero })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = RequestTimeout,
        };
        while (!_stop.IsCancellationRequested)
        {
            var started = DateTime.UtcNow;
            bool ok;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "");
                request.Headers.ConnectionClose = true;
                using var response = await client.SendAsync(request, _stop.Token);
                await response.Content.ReadAsByteArrayAsync(_stop.Token);
                ok = response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                ok = false;
            }

            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _outcomes.Enqueue(new Outcome(vassal, started, DateTime.UtcNow, ok));
            try
            {
                // Pacing, not synchronisation: about 30 requests a second per vassal.
                await Task.Delay(ok ? 30 : 10, _stop.Token);
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }

    // One keep-alive connection, no pacing: the next request leaves as soon as the last answer is read.
    private async Task RunLoad(string vassal, int port)
    {
        using var client = new KeepAliveClient(port);
        while (!_stop.IsCancellationRequested)
        {
            var started = DateTime.UtcNow;
            bool ok = await client.Get(RequestTimeout, _stop.Token);
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _loadOutcomes.Enqueue(new Outcome(vassal, started, DateTime.UtcNow, ok));
            if (ok)
            {
                continue;
            }

            try
            {
                // Pacing, not synchronisation: a vassal that refuses connections is not hammered in a tight loop.
                await Task.Delay(10, _stop.Token);
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }
}
