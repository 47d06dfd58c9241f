using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

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
    private void OnControl(VassalInstance vassal, VassalProcess process)
    {
        if (!ReadReports(vassal, process, out bool closed) && closed)
        {
            Curse(vassal, process, "its control socket closed");
        }

        AdoptSuccessorIfHandedOver(vassal, process);
    }

    /// <summary>
    /// One bounded read of reports; false when there is nothing more to read: none pending, the vassal closed its
    /// end (<paramref name="closed"/>), or the channel failed and was cursed.
    /// </summary>
    private bool ReadReports(VassalInstance vassal, VassalProcess process, out bool closed)
    {
        closed = false;
        Span<byte> buffer = stackalloc byte[ReadChunk];
        int n;
        try
        {
            n = FdPassing.ReceiveAvailable(process.ControlFd, buffer, _receivedFds);
        }
        catch (Exception e) when (e is PosixException or FdPassingException)
        {
            CloseReceivedFds();
            Curse(vassal, process, $"its control socket failed: {e.Message}");
            return false;
        }

        if (n < 0)
        {
            return false;
        }

        if (n == 0)
        {
            closed = true;
            return false;
        }

        if (IsFlooding(process, n))
        {
            CloseReceivedFds();
            Log.Flooding(_log, vassal.Name, process.Pid, FloodBytesPerSecond);
            Curse(vassal, process, "it flooded its control socket");
            return false;
        }

        foreach (byte report in buffer[..n])
        {
            OnReport(vassal, process, (VassalReport)report);
        }

        // Only a hand-over carries an fd; any other is not ours to keep.
        CloseReceivedFds();
        return true;
    }

    /// <summary>
    /// Reads what an exited vassal said last: its exit and its final reports (a listener hand-over) can arrive in
    /// the same loop turn, and the exit must not make the Emperor miss them.
    /// </summary>
    private void DrainReports(VassalInstance vassal, VassalProcess process)
    {
        while (process.HasControl && ReadReports(vassal, process, out _))
        {
        }
    }

    private void CloseReceivedFds()
    {
        Descriptors.CloseAll(_receivedFds);
        _receivedFds.Clear();
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
                Log.Ready(_log, vassal.Name, process.Pid);
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
                Log.Accepting(_log, vassal.Name, process.Pid);
                break;
            case VassalReport.Loyal:
                if (!process.Loyal)
                {
                    Log.Loyal(_log, vassal.Name, process.Pid);
                }

                process.Loyal = true;
                vassal.LastLoyal = now;
                _blacklist.Forgive(vassal.Name);
                break;
            case VassalReport.Heartbeat:
                process.LastHeartbeat = now;
                break;
            case VassalReport.ListenerHandOver when process.Adopted && _receivedFds.Count > 0:
                vassal.HoldListener(_receivedFds[0]);
                _receivedFds.RemoveAt(0);
                Log.ListenerHeld(_log, vassal.Name, process.Pid);
                break;
            default:
                // 2 (config request) needs a config pipe, 22/30 on-demand and broodlord modes: none exist here.
                break;
        }
    }

    /// <summary>Sends one command; a failed write curses the vassal, as in uWSGI.</summary>
    private void Send(VassalInstance vassal, VassalProcess process, EmperorCommand command)
    {
        if (!process.HasControl)
        {
            return;
        }

        if (!SocketIo.TrySendByte(process.ControlFd, (byte)command))
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
            Log.Cursed(_log, vassal.Name, process.Pid, reason);
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
