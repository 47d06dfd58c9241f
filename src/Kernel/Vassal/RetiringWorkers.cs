using System.Globalization;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>A worker told to stop that is still finishing its requests, and when it gets SIGKILL (<see cref="Environment.TickCount64"/>).</summary>
internal sealed record RetiringWorker(int Slot, int Pid, long KillAt);

/// <summary>
/// Carries a classic vassal's retiring workers across its re-exec on reload. The master re-executes as soon as its
/// workers were told to stop, not once they have exited, so the new image serves while they finish the requests in
/// flight; they stay children of the same pid, and the new image's master reaps them and kills those still alive at
/// their deadline (<c>worker-reload-mercy</c>), as the old one would have.
/// </summary>
internal static class RetiringWorkers
{
    private const string Variable = "FORKSERVER_RETIRING_WORKERS";

    /// <summary>The variable that tells the new image about <paramref name="workers"/> ("slot:pid:ms left" each).</summary>
    public static KeyValuePair<string, string> Prepare(IEnumerable<RetiringWorker> workers)
    {
        long now = Environment.TickCount64;
        return new(Variable, string.Join(',', workers.Select(w => FormattableString.Invariant($"{w.Slot}:{w.Pid}:{Math.Max(0, w.KillAt - now)}"))));
    }

    /// <summary>The workers the previous image left finishing their requests (none if this image was not re-executed).</summary>
    public static IReadOnlyList<RetiringWorker> Take()
    {
        string? handedOver = ProcessImage.ConsumeVariable(Variable);
        var workers = new List<RetiringWorker>();
        long now = Environment.TickCount64;
        foreach (string entry in (handedOver ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.Split(':') is [var slot, var pid, var left]
                && int.TryParse(slot, CultureInfo.InvariantCulture, out int s)
                && int.TryParse(pid, CultureInfo.InvariantCulture, out int p)
                && long.TryParse(left, CultureInfo.InvariantCulture, out long ms))
            {
                workers.Add(new RetiringWorker(s, p, now + ms));
            }
        }

        return workers;
    }

    /// <summary>
    /// Kills <paramref name="workers"/>: the new image failed before its master could supervise them, and they
    /// must not run on unsupervised.
    /// </summary>
    public static void Kill(IReadOnlyList<RetiringWorker> workers)
    {
        foreach (var worker in workers)
        {
            ProcessCalls.Kill(worker.Pid, Signals.SIGKILL);
        }
    }
}
