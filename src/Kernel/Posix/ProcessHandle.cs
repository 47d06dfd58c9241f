using System.Diagnostics;
using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// A pidfd for one child process. It becomes readable when the process exits, so a supervisor can watch it in
/// an <see cref="EventLoop"/> and reap exactly that process (never waitpid(-1), which would steal the children
/// System.Diagnostics.Process is waiting for). Signalling through it cannot hit a recycled pid.
/// </summary>
internal sealed unsafe class ProcessHandle : IDisposable
{
    private const long SysPidfdOpen = 434;        // same number on x86_64 and arm64
    private const long SysPidfdSendSignal = 424;

    private ProcessHandle(int pid, int fd)
    {
        Pid = pid;
        Fd = fd;
    }

    public int Pid { get; }

    /// <summary>The pidfd (close-on-exec); readable once the process has exited.</summary>
    public int Fd { get; private set; }

    /// <summary>Opens a pidfd for <paramref name="pid"/>, which must be a live or zombie child.</summary>
    public static ProcessHandle Open(int pid)
    {
        long fd = PosixException.ThrowIfFailed(SystemCalls.Syscall(SysPidfdOpen, pid, 0, 0, 0), $"pidfd_open({pid})");
        return new ProcessHandle(pid, (int)fd);
    }

    /// <summary>
    /// The process exited while it was not our child yet (ECHILD from the last <see cref="TryReap"/>): an adopted
    /// vassal that died before its parent, the base's short-lived middle child, did. The kernel hands it to us, the
    /// subreaper, when that one exits, and sends SIGCHLD; reap it then.
    /// </summary>
    public bool ExitedBeforeReparenting { get; private set; }

    /// <summary>Reaps the process if it has exited (waitid(P_PIDFD, WEXITED|WNOHANG)).</summary>
    public bool TryReap(out ExitStatus status)
    {
        byte* info = stackalloc byte[SystemCalls.SigInfoSize];
        // With WNOHANG and no exited child, waitid returns 0 and leaves si_pid untouched: zero it to tell.
        new Span<byte>(info, SystemCalls.SigInfoSize).Clear();
        while (SystemCalls.WaitId(SystemCalls.P_PIDFD, Fd, info, SystemCalls.WEXITED | SystemCalls.WNOHANG) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ECHILD)
            {
                ExitedBeforeReparenting = true;
                status = default;
                return false;
            }

            if (errno != EINTR)
            {
                throw new PosixException($"waitid(P_PIDFD) for pid {Pid}", errno);
            }
        }

        ExitedBeforeReparenting = false;

        if (*(int*)(info + SystemCalls.SigInfoPidOffset) == 0)
        {
            status = default;
            return false;
        }

        status = ExitStatus.FromChildSigInfo(*(int*)(info + SystemCalls.SigInfoCodeOffset), *(int*)(info + SystemCalls.SigInfoStatusOffset));
        return true;
    }

    /// <summary>Waits (poll on the pidfd, bounded) for the process to exit and reaps it; null on timeout.</summary>
    public ExitStatus? WaitForExit(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var descriptor = new SystemCalls.PollDescriptor { Fd = Fd, Events = POLLIN };
        while (true)
        {
            int remainingMs = (int)Math.Max(0, (timeout - clock.Elapsed).TotalMilliseconds);
            int ready = SystemCalls.Poll(&descriptor, 1, remainingMs);
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                {
                    continue;
                }

                throw new PosixException($"poll on the pidfd of pid {Pid}", errno);
            }

            if (ready > 0 && TryReap(out var status))
            {
                return status;
            }

            if (remainingMs == 0)
            {
                return null;
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> (pidfd_send_signal). Fails with ESRCH only once reaped.</summary>
    public void Signal(int signal)
        => PosixException.ThrowIfFailed(
            SystemCalls.Syscall(SysPidfdSendSignal, Fd, signal, 0, 0),
            $"pidfd_send_signal({SignalNames.Of(signal)}) to pid {Pid}");

    public void Dispose()
    {
        if (Fd >= 0)
        {
            Descriptors.Close(Fd);
            Fd = -1;
        }
    }
}
