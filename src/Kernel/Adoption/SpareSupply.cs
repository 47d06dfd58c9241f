using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// Keeps the base's one <see cref="SpareVassal"/>: forks the next once the base has been quiet for
/// <see cref="ReplenishDelayMs"/> after a hand-over, drops one that dies or does not report ready in time (killing
/// it), and forks one on demand when a request finds none.
/// </summary>
/// <remarks>
/// Not at once after a hand-over: on two cores, the fork of the next spare took CPU from the vassal just adopted,
/// whose start-up is what the Emperor waits for. A spare that died is replaced only at the next request, so that
/// a spare that cannot live does not turn the base into a fork loop. A spare runs <c>spareMain</c> with its end of
/// the channel and whether it was forked for a request already on its way.
/// </remarks>
internal sealed partial class SpareSupply(EventLoop loop, IntermediateReaper intermediates, Func<int, bool, int> spareMain, Action prepareForFork, ILogger log) : IDisposable
{
    /// <summary>How long the base waits after a hand-over before it forks the next spare.</summary>
    private const long ReplenishDelayMs = 100;

    private SpareVassal? _spare;
    private long? _replenishAt;

    /// <summary>Forks a spare unless there is one; a failure is logged, and the next request tries again.</summary>
    public void Replenish() => Replenish(requested: false);

    private void Replenish(bool requested)
    {
        _replenishAt = null;
        if (_spare is not null)
        {
            return;
        }

        try
        {
            prepareForFork();
            var spare = SpareVassal.Fork(channel => spareMain(channel, requested), intermediates);
            _spare = spare;
            loop.Add(spare.Channel, EventLoop.Readable, _ => OnReport(spare));
        }
        catch (Exception e) when (e is PosixException or TimeoutException or IOException)
        {
            Log.ForkFailed(log, e.Message);
        }
    }

    /// <summary>
    /// Hands an adoption request to the spare (forking one if there is none, and another if it turns out dead),
    /// and schedules the next spare. The caller still closes <paramref name="connection"/> and the request's fds.
    /// </summary>
    public void HandOver(int connection, HandedRequest request, long deadline)
    {
        for (int attempt = 1; ; attempt++)
        {
            Replenish(requested: true);
            using var spare = _spare ?? throw new IOException("no spare vassal could be forked for the adoption");
            Drop(spare);
            try
            {
                spare.HandOver(connection, request, deadline);
                break;
            }
            catch (PosixException e) when (attempt == 1 && (e.Errno == Errno.EPIPE || e.Errno == Errno.ECONNRESET))
            {
                Log.GoneAtRequest(log);
            }
        }

        _replenishAt = Environment.TickCount64 + ReplenishDelayMs;
    }

    /// <summary>Milliseconds until the next spare is due, or the spare is overdue with its ready report; or -1.</summary>
    public int NextTimeoutMs()
    {
        long? due = _replenishAt ?? (_spare is { IsReady: false } spare ? spare.ReadyBy : null);
        return due is { } at ? (int)Math.Clamp(at - Environment.TickCount64, 0, int.MaxValue) : -1;
    }

    /// <summary>
    /// Forks the next spare when it is due; kills and drops a spare that has not reported ready in time (every forked
    /// process must report).
    /// </summary>
    public void EnforceDeadlines()
    {
        if (_replenishAt is { } at && Environment.TickCount64 >= at)
        {
            Replenish();
        }

        if (_spare is not { IsReady: false } spare || Environment.TickCount64 < spare.ReadyBy)
        {
            return;
        }

        int? killed = spare.Kill();
        Log.NotReady(log, killed?.ToString() ?? "(pid unknown)", ProcessForker.HandOffTimeout.TotalSeconds);
        Drop(spare);
        spare.Dispose();
    }

    public void Dispose()
    {
        if (_spare is { } spare)
        {
            Drop(spare);
            spare.Dispose();
        }
    }

    private void OnReport(SpareVassal spare)
    {
        if (spare.ReadReport())
        {
            Log.Waiting(log, spare.Pid);
        }
        else
        {
            Log.DiedBeforeRequest(log);
            Drop(spare);
            spare.Dispose();
        }
    }

    private void Drop(SpareVassal spare)
    {
        loop.Remove(spare.Channel);
        _spare = null;
    }
}
