using System.Runtime.InteropServices;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    // More report bytes than this in one second is not a protocol any vassal speaks: the channel is cut.
    private const int FloodBytesPerSecond = 1000;
    private const int ReadChunk = 64;

    /// <summary>
    /// Reads what a vassal reported. One bounded read per readiness event: the loop is level-triggered, so a
    /// vassal with more to say is called again, after everyone else had their turn.
    /// </summary>
    private unsafe void OnControl(VassalInstance vassal, VassalProcess process)
    {
        byte* buffer = stackalloc byte[ReadChunk];
        long n = recv(process.ControlFd, buffer, ReadChunk, MSG_DONTWAIT);
        if (n < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EAGAIN || errno == EINTR)
            {
                return;
            }
        }

        if (n <= 0)
        {
            Curse(vassal, process, "its control socket closed");
            return;
        }

        if (IsFlooding(process, (int)n))
        {
            _log.LogError("vassal {Name} (pid {VassalPid}) floods its control socket (> {Limit} bytes/s): channel closed", vassal.Name, process.Pid, FloodBytesPerSecond);
            Curse(vassal, process, "it flooded its control socket");
            return;
        }

        for (int i = 0; i < n; i++)
        {
            OnReport(vassal, process, (VassalReport)buffer[i]);
        }
    }

    private static bool IsFlooding(VassalProcess process, int bytes)
    {
        long now = Environment.TickCount64;
        if (now - process.FloodWindowStart >= 1000)
        {
            process.FloodWindowStart = now;
            process.FloodWindowBytes = 0;
        }

        process.FloodWindowBytes += bytes;
        return process.FloodWindowBytes > FloodBytesPerSecond;
    }

    private void OnReport(VassalInstance vassal, VassalProcess process, VassalReport report)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        switch (report)
        {
            case VassalReport.Ready:
                process.Ready = true;
                process.LastReady = now;
                process.AwaitingReadySince = null;
                _log.LogInformation("vassal {Name} (pid {VassalPid}) is ready", vassal.Name, process.Pid);
                if (_settings.ForkBases.Contains(vassal.Name))
                {
                    // A base is ready once its fork-server socket listens: the adoptions that waited can go now.
                    _blacklist.Forgive(vassal.Name);
                    ServeAdoptions(Environment.TickCount64);
                }

                break;
            case VassalReport.Accepting:
                process.Accepting = true;
                process.LastAccepting = now;
                _log.LogInformation("vassal {Name} (pid {VassalPid}) is ready to accept requests", vassal.Name, process.Pid);
                break;
            case VassalReport.Loyal:
                if (!process.Loyal)
                {
                    _log.LogInformation("vassal {Name} (pid {VassalPid}) is now loyal", vassal.Name, process.Pid);
                }

                process.Loyal = true;
                vassal.LastLoyal = now;
                _blacklist.Forgive(vassal.Name);
                break;
            case VassalReport.Heartbeat:
                process.LastHeartbeat = now;
                break;
            default:
                // 2 (config request) needs a config pipe, 22/30 on-demand and broodlord modes: none exist here.
                break;
        }
    }

    /// <summary>Sends one command; a failed write curses the vassal, as in uWSGI.</summary>
    private unsafe void Send(VassalInstance vassal, VassalProcess process, EmperorCommand command)
    {
        if (!process.HasControl)
        {
            return;
        }

        byte value = (byte)command;
        if (send(process.ControlFd, &value, 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1)
        {
            Curse(vassal, process, $"the {command} command could not be written");
        }
    }

    /// <summary>Asks a vassal to stop (byte 0, or 2 with <c>emperor-graceful-shutdown</c>); SIGKILL after the curse tolerance.</summary>
    private void Stop(VassalInstance vassal, VassalProcess process)
    {
        Send(vassal, process, _settings.GracefulShutdown ? EmperorCommand.GracefulStop : EmperorCommand.Stop);
        MarkCursed(process);
    }

    /// <summary>The channel broke: stop listening to it; a vassal still alive after the curse tolerance is killed.</summary>
    private void Curse(VassalInstance vassal, VassalProcess process, string reason)
    {
        if (process.HasControl)
        {
            _loop.Remove(process.ControlFd);
            process.CloseControl();
        }

        if (process.CursedAt is null)
        {
            _log.LogWarning("vassal {Name} (pid {VassalPid}) cursed: {Reason}", vassal.Name, process.Pid, reason);
        }

        MarkCursed(process);
    }

    private static void MarkCursed(VassalProcess process)
    {
        if (process.CursedAt is null)
        {
            process.CursedAt = Environment.TickCount64;
            process.CursedAtUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }
    }
}
