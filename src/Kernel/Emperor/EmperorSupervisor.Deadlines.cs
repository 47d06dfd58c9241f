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
                string? reason = process switch
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
                if (reason is not null)
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
}
