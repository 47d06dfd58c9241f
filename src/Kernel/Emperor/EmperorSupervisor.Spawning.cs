using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    /// <summary>
    /// Starts the vassal's process: adopted through the fork server when one is configured and the vassal is not
    /// a base, otherwise classic (posix_spawn of the vassal binary with the control socket).
    /// </summary>
    private void Spawn(VassalInstance vassal)
    {
        vassal.SpawnAt = null;
        if (_settings.ForkServer is not null && !_settings.ForkBases.Contains(vassal.Name))
        {
            RequestAdoption(vassal);
            return;
        }

        var control = ControlSocketPair.Create();
        int pid;
        try
        {
            pid = ProcessSpawner.Spawn(_commandLine.For(vassal, control.VassalEnd));
        }
        catch (PosixException e)
        {
            control.Dispose();
            var delay = _blacklist.Punish(vassal.Name);
            Log.SpawnFailed(_log, vassal.Name, e.Message, delay.TotalSeconds);
            vassal.SpawnAt = Environment.TickCount64 + (long)delay.TotalMilliseconds;
            return;
        }

        control.CloseVassalEnd();
        Watch(vassal, new VassalProcess(pid, ProcessHandle.Open(pid), control, adopted: false));
    }

    /// <summary>Starts watching a vassal's new process: its exit (pidfd) and its reports (control socket).</summary>
    private void Watch(VassalInstance vassal, VassalProcess process)
    {
        vassal.Process = process;
        vassal.LastRun = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (vassal.FirstRun == 0)
        {
            vassal.FirstRun = vassal.LastRun;
        }

        _loop.Add(process.Handle.Fd, EventLoop.Readable, _ => OnExited(vassal, process));
        _loop.Add(process.ControlFd, EventLoop.Readable, _ => OnControl(vassal, process));
        Log.Started(_log, process.Adopted ? "adopted" : "spawned", vassal.Name, process.Pid);
        if (vassal.IsLeaving)
        {
            // Its file went away (or the Emperor began stopping) while the adoption was in flight.
            Stop(vassal, process);
        }
    }

    private void OnExited(VassalInstance vassal, VassalProcess process)
    {
        if (!process.Handle.TryReap(out var status))
        {
            if (process.Handle.ExitedBeforeReparenting)
            {
                // Its pidfd stays readable until it is ours to reap: stop watching it, or the loop spins.
                _loop.Remove(process.Handle.Fd);
                Log.ExitedBeforeReparenting(_log, vassal.Name, process.Pid);
            }

            return;
        }

        if (!process.Handle.ExitedBeforeReparenting)
        {
            _loop.Remove(process.Handle.Fd);
        }

        Ended(vassal, process, status);
    }

    /// <summary>On SIGCHLD: the vassals that exited before they were re-parented to the Emperor are its children now.</summary>
    private void ReapReparented()
    {
        foreach (var vassal in _vassals.Values.ToList())
        {
            if (vassal.Process is { Handle.ExitedBeforeReparenting: true } process && process.Handle.TryReap(out var status))
            {
                Ended(vassal, process, status);
            }
        }
    }

    private void Ended(VassalInstance vassal, VassalProcess process, ExitStatus status)
    {
        DrainReports(vassal, process);
        if (process.HasControl)
        {
            _loop.Remove(process.ControlFd);
        }

        process.Dispose();
        vassal.Process = null;
        if (vassal.RespawnWhenGone)
        {
            vassal.RespawnWhenGone = false;
            Log.EndedAndBack(_log, vassal.Name, process.Pid, status);
            Spawn(vassal);
        }
        else if (_stopping || vassal.IsLeaving)
        {
            Log.Ended(_log, vassal.Name, process.Pid, status);
            _vassals.Remove(vassal.Name);
        }
        else if (process.Adopted && process.ReloadSent)
        {
            // An adopted vassal reloads by exiting (it cannot re-execute without losing the preloaded app); the
            // listening socket it handed over goes to its successor.
            Log.EndedForReload(_log, vassal.Name, process.Pid);
            Spawn(vassal);
            return;
        }
        else if (status.ExitCode == ExileExitCode)
        {
            Log.Exiled(_log, vassal.Name, process.Pid, ExileExitCode);
        }
        else
        {
            ScheduleRespawn(vassal, process, status);
        }

        // Only a reload passes the socket on; after a crash or a stop the new process binds its own.
        vassal.ReleaseListener();
    }

    // uWSGI's UWSGI_EXILE_CODE: a vassal exiting with it asks not to be respawned.
    private const int ExileExitCode = 26;

    /// <summary>
    /// An unexpected death: a loyal vassal (or a fork-server base that was ready: bases never serve, so they are
    /// never loyal) comes back at once; one that never served is blacklisted and waits
    /// longer after every failure, so a broken ini cannot turn the Emperor into a spawn loop.
    /// </summary>
    private void ScheduleRespawn(VassalInstance vassal, VassalProcess process, ExitStatus status)
    {
        if (process.Loyal || (process.Ready && _settings.ForkBases.Contains(vassal.Name)))
        {
            Log.Died(_log, vassal.Name, process.Pid, status);
            Spawn(vassal);
            return;
        }

        var delay = _settings.NoBlacklist ? _settings.ThrottleStep : _blacklist.Punish(vassal.Name);
        Log.DiedBeforeLoyal(_log, vassal.Name, process.Pid, status, delay.TotalSeconds);
        vassal.SpawnAt = Environment.TickCount64 + (long)delay.TotalMilliseconds;
    }
}
