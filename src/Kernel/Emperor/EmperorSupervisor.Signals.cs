using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    private void OnSignals()
    {
        while (_signals.TryRead(out int signal, out int sender))
        {
            if (signal == Signals.SIGTERM || signal == Signals.SIGINT || signal == Signals.SIGQUIT)
            {
                StopAll($"signal {signal} from pid {sender}");
            }
            else if (signal == Signals.SIGHUP)
            {
                ReloadAll();
            }
            else if (signal == Signals.SIGUSR1)
            {
                foreach (var vassal in _vassals.Values.OrderBy(v => v.Name, StringComparer.Ordinal))
                {
                    var p = vassal.Process;
                    Log.VassalState(_log, vassal.Name, p?.Pid ?? -1, p?.Ready ?? false, p?.Accepting ?? false, p?.Loyal ?? false, vassal.Reloads);
                }
            }
            else if (signal == Signals.SIGCHLD)
            {
                // A vassal's exit is reported by its pidfd; this is for the orphans a subreaper inherits.
                ReapReparented();
                ReapStrays();
            }
        }
    }

    /// <summary>Stops every vassal; those still alive after <c>reload-mercy</c> are killed. A second signal kills at once.</summary>
    private void StopAll(string reason)
    {
        if (_stopping)
        {
            Log.SecondStop(_log, reason);
            _killAllAt = Environment.TickCount64;
            return;
        }

        _stopping = true;
        _killAllAt = Environment.TickCount64 + (long)_settings.ReloadMercy.TotalMilliseconds;
        Log.StoppingAll(_log, _vassals.Values.Count(v => v.Process is not null), reason);
        StopRetiring();
        foreach (var vassal in _vassals.Values.ToList())
        {
            vassal.IsLeaving = true;
            vassal.SpawnAt = null;
            if (vassal.Process is { } process)
            {
                Stop(vassal, process);
            }
            else if (vassal.Adoption is null)
            {
                vassal.ReleaseListener();
                _vassals.Remove(vassal.Name);
            }
        }
    }

    private void ReloadAll()
    {
        foreach (var vassal in _vassals.Values)
        {
            if (vassal.Process is { } process)
            {
                SendReload(vassal, process, "SIGHUP");
            }
        }
    }
}
