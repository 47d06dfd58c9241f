using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    // Old processes of reloaded adopted vassals that handed their socket over and now finish their requests.
    private readonly List<RetiringProcess> _retiring = new();

    /// <summary>
    /// An adopted vassal told to reload hands its listening socket over as soon as its workers stop accepting, then
    /// finishes the requests in flight before it exits. Its successor is adopted at once with that socket, so
    /// clients are served meanwhile; the old process is only watched now, to be reaped, or killed if it is still
    /// alive <c>emperor-ready-timeout</c> after the reload (as when it was waited for), or after the Emperor's stop.
    /// A vassal leaving or stopping is not adopted anew: it ends as before, and its exit is waited for.
    /// </summary>
    private void AdoptSuccessorIfHandedOver(VassalInstance vassal, VassalProcess process)
    {
        if (vassal.Process != process || !process.Adopted || !process.ReloadSent || vassal.HeldListener < 0
            || vassal.IsLeaving || vassal.RespawnWhenGone || _stopping || process.Handle.ExitedBeforeReparenting)
        {
            return;
        }

        // It reports nothing the Emperor acts on any more; its channel stays open, unread, until it is reaped.
        if (process.HasControl)
        {
            _loop.Remove(process.ControlFd);
        }

        _loop.Remove(process.Handle.Fd);
        long killAt = (process.AwaitingReadySince ?? Environment.TickCount64) + (long)_settings.ReadyDeadline.TotalMilliseconds;
        var retiring = new RetiringProcess(vassal.Name, process, killAt);
        _retiring.Add(retiring);
        _loop.Add(process.Handle.Fd, EventLoop.Readable, _ => OnRetiredExited(retiring));
        vassal.Process = null;
        Log.AdoptingSuccessor(_log, vassal.Name, process.Pid);
        Spawn(vassal);
    }

    private void OnRetiredExited(RetiringProcess retiring)
    {
        if (!retiring.Process.Handle.TryReap(out var status))
        {
            return;
        }

        _loop.Remove(retiring.Process.Handle.Fd);
        _retiring.Remove(retiring);
        retiring.Process.Dispose();
        Log.RetiredEnded(_log, retiring.Name, retiring.Process.Pid, status);
    }

    /// <summary>Kills the retiring processes past their deadline, or all of them past the Emperor's stop deadline.</summary>
    private void EnforceRetiringDeadlines(long now)
    {
        foreach (var retiring in _retiring)
        {
            if (!retiring.Process.Killed && (now >= retiring.KillAt || now >= _killAllAt))
            {
                string reason = now >= _killAllAt
                    ? $"still alive {_settings.ReloadMercy.TotalSeconds} s after the stop (reload-mercy)"
                    : $"still finishing its requests {_settings.ReadyDeadline.TotalSeconds} s after its reload (emperor-ready-timeout)";
                Log.Killing(_log, retiring.Name, retiring.Process.Pid, reason);
                retiring.Process.Handle.Signal(Signals.SIGKILL);
                retiring.Process.Killed = true;
            }
        }
    }

    /// <summary>The Emperor stops: retiring processes get the same stop command as every vassal.</summary>
    private void StopRetiring()
    {
        var command = _settings.GracefulShutdown ? EmperorCommand.GracefulStop : EmperorCommand.Stop;
        foreach (var retiring in _retiring.Where(r => r.Process.HasControl))
        {
            SocketIo.TrySendByte(retiring.Process.ControlFd, (byte)command);
        }
    }

    /// <summary>An adopted vassal's old process finishing its requests after its successor was adopted.</summary>
    private sealed record RetiringProcess(string Name, VassalProcess Process, long KillAt);
}
