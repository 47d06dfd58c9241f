using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    /// <summary>Kills vassals that overstayed a deadline and starts the respawns whose throttle has passed.</summary>
    private void EnforceDeadlines()
    {
        long now = Environment.TickCount64;
        long nowUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var vassal in _vassals.Values.ToList())
        {
            if (vassal.Process is { Killed: false } process)
            {
                if (Overdue(process, now, nowUnix) is not null && CatchUp(vassal, process)
                    && Overdue(process, now, nowUnix) is { } reason)
                {
                    Log.Killing(_log, vassal.Name, process.Pid, reason);
                    process.Handle.Signal(Signals.SIGKILL);
                    process.Killed = true;
                }
            }
            else if (vassal is { Process: null, SpawnAt: { } at } && now >= at && !_stopping)
            {
                Spawn(vassal);
            }
        }

        EnforceRetiringDeadlines(now);
        ServeAdoptions(now);
    }

    /// <summary>The deadline <paramref name="process"/> missed, as the log says it, or null.</summary>
    private string? Overdue(VassalProcess process, long now, long nowUnix) => process switch
    {
        _ when now >= _killAllAt => $"still alive {_settings.ReloadMercy.TotalSeconds} s after the stop (reload-mercy)",
        { CursedAt: { } cursed } when now - cursed > _settings.CurseTolerance.TotalMilliseconds
            => $"still alive {_settings.CurseTolerance.TotalSeconds} s after its curse (emperor-curse-tolerance)",
        { LastHeartbeat: > 0 } when nowUnix - process.LastHeartbeat > _settings.RequiredHeartbeat.TotalSeconds
            => $"no heartbeat for {_settings.RequiredHeartbeat.TotalSeconds} s (emperor-required-heartbeat)",
        { AwaitingReadySince: { } since, CursedAt: null } when now - since > _settings.ReadyDeadline.TotalMilliseconds
            => $"not ready {_settings.ReadyDeadline.TotalSeconds} s after its start (emperor-ready-timeout)",
        _ => null,
    };

    /// <summary>
    /// Before a vassal is killed for a missed deadline: reads what it reported and reaps it if it exited. The loop may
    /// not have looked at it since the deadline passed: after the Emperor was stopped (SIGSTOP, a debugger, a frozen
    /// VM), epoll_wait returns EINTR on resume and the deadlines are checked first, with the vassal's heartbeats, its
    /// ready report or its exit still unread.
    /// </summary>
    /// <returns>False when it turned out to have exited: it is reaped, and no longer <paramref name="vassal"/>'s process.</returns>
    private bool CatchUp(VassalInstance vassal, VassalProcess process)
    {
        bool closed = false;
        while (process.HasControl && ReadReports(vassal, process, out closed))
        {
        }

        if (!process.Handle.ExitedBeforeReparenting)
        {
            OnExited(vassal, process);
        }

        if (vassal.Process != process)
        {
            return false;
        }

        if (closed)
        {
            Curse(vassal, process, "its control socket closed");
        }

        return true;
    }
}
