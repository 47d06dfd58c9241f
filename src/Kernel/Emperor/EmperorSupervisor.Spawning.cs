using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    /// <summary>Starts the vassal's process (classic: posix_spawn of the vassal binary with the control socket).</summary>
    private void Spawn(VassalInstance vassal)
    {
        vassal.SpawnAt = null;
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
            _log.LogError("cannot spawn vassal {Name}: {Error}; next try in {Delay} s", vassal.Name, e.Message, delay.TotalSeconds);
            vassal.SpawnAt = Environment.TickCount64 + (long)delay.TotalMilliseconds;
            return;
        }

        control.CloseVassalEnd();
        var process = new VassalProcess(pid, ProcessHandle.Open(pid), control);
        vassal.Process = process;
        vassal.LastRun = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (vassal.FirstRun == 0)
        {
            vassal.FirstRun = vassal.LastRun;
        }

        _loop.Add(process.Handle.Fd, EventLoop.Readable, _ => OnExited(vassal, process));
        _loop.Add(process.ControlFd, EventLoop.Readable, _ => OnControl(vassal, process));
        _log.LogInformation("spawned vassal {Name} (pid {VassalPid})", vassal.Name, pid);
    }

    private void OnExited(VassalInstance vassal, VassalProcess process)
    {
        if (!process.Handle.TryReap(out var status))
        {
            return;
        }

        _loop.Remove(process.Handle.Fd);
        if (process.HasControl)
        {
            _loop.Remove(process.ControlFd);
        }

        process.Dispose();
        vassal.Process = null;
        if (vassal.RespawnWhenGone)
        {
            vassal.RespawnWhenGone = false;
            _log.LogInformation("vassal {Name} (pid {VassalPid}) ended: {Status}; its file is back, spawning anew", vassal.Name, process.Pid, status);
            Spawn(vassal);
        }
        else if (_stopping || vassal.IsLeaving)
        {
            _log.LogInformation("vassal {Name} (pid {VassalPid}) ended: {Status}", vassal.Name, process.Pid, status);
            _vassals.Remove(vassal.Name);
        }
        else if (status.ExitCode == ExileExitCode)
        {
            _log.LogWarning("vassal {Name} (pid {VassalPid}) exiled itself (exit code {Code}): not respawned until its file changes", vassal.Name, process.Pid, ExileExitCode);
        }
        else
        {
            ScheduleRespawn(vassal, process, status);
        }
    }

    // uWSGI's UWSGI_EXILE_CODE: a vassal exiting with it asks not to be respawned.
    private const int ExileExitCode = 26;

    /// <summary>
    /// An unexpected death: a loyal vassal comes back at once; one that never served is blacklisted and waits
    /// longer after every failure, so a broken ini cannot turn the Emperor into a spawn loop.
    /// </summary>
    private void ScheduleRespawn(VassalInstance vassal, VassalProcess process, ExitStatus status)
    {
        if (process.Loyal)
        {
            _log.LogWarning("vassal {Name} (pid {VassalPid}) died: {Status}; respawning", vassal.Name, process.Pid, status);
            Spawn(vassal);
            return;
        }

        var delay = _settings.NoBlacklist ? _settings.ThrottleStep : _blacklist.Punish(vassal.Name);
        _log.LogWarning("vassal {Name} (pid {VassalPid}) died before it was loyal: {Status}; respawning in {Delay} s", vassal.Name, process.Pid, status, delay.TotalSeconds);
        vassal.SpawnAt = Environment.TickCount64 + (long)delay.TotalMilliseconds;
    }
}
