using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// A non-blocking signalfd: blocked signals are read from it like data, on whatever thread polls it, instead of
/// running a handler. Created by <see cref="ControlledSignals.CreateSignalFd"/>.
/// </summary>
internal sealed unsafe class SignalFd : IDisposable
{
    internal SignalFd(int fd) => Fd = fd;

    /// <summary>The descriptor to watch for readability (e.g. in an <see cref="EventLoop"/>).</summary>
    public int Fd { get; private set; }

    /// <summary>Reads one pending signal; false when none is pending.</summary>
    public bool TryRead(out int signal, out int senderPid)
    {
        byte* info = stackalloc byte[SystemCalls.SignalFdSigInfoSize];
        long length;
        while ((length = read(Fd, info, SystemCalls.SignalFdSigInfoSize)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EAGAIN)
            {
                signal = 0;
                senderPid = 0;
                return false;
            }

            if (errno != EINTR)
            {
                throw new PosixException($"read from signalfd {Fd}", errno);
            }
        }

        // The kernel only ever hands out whole signalfd_siginfo records.
        if (length != SystemCalls.SignalFdSigInfoSize)
        {
            throw new InvalidOperationException($"signalfd {Fd} returned {length} bytes, not one {SystemCalls.SignalFdSigInfoSize}-byte record");
        }

        signal = *(int*)info;
        senderPid = *(int*)(info + SystemCalls.SignalFdPidOffset);
        return true;
    }

    public void Dispose()
    {
        if (Fd >= 0)
        {
            Descriptors.Close(Fd);
            Fd = -1;
        }
    }
}
