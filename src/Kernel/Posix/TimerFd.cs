using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// A non-blocking, close-on-exec timerfd on the monotonic clock: a timer an <see cref="EventLoop"/>, which has none
/// of its own, watches like any readable descriptor.
/// </summary>
internal sealed unsafe partial class TimerFd : IDisposable
{
    /// <exception cref="PosixException">timerfd_create failed.</exception>
    public TimerFd()
    {
        // TFD_NONBLOCK and TFD_CLOEXEC have the values of O_NONBLOCK and O_CLOEXEC.
        Fd = PosixException.ThrowIfFailed(TimerFdCreate(ClockMonotonic, O_NONBLOCK | O_CLOEXEC), "timerfd_create");
    }

    /// <summary>The descriptor to watch for readability; -1 once disposed.</summary>
    public int Fd { get; private set; }

    /// <summary>Expires every <paramref name="seconds"/>, the first time that long from now; 0 stops it.</summary>
    /// <exception cref="PosixException">timerfd_settime failed.</exception>
    public void Arm(long seconds)
    {
        var spec = new TimerSpec { IntervalSeconds = seconds, ValueSeconds = seconds };
        PosixException.ThrowIfFailed(TimerFdSetTime(Fd, 0, &spec, null), $"timerfd_settime({seconds} s) on fd {Fd}");
    }

    /// <summary>Reads (and so clears) the expirations since the last read; false when there were none.</summary>
    /// <exception cref="PosixException">The read failed.</exception>
    public bool TryConsume()
    {
        ulong expirations;
        while (read(Fd, &expirations, sizeof(ulong)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();

            // EAGAIN: none, e.g. the timer was stopped between a wakeup and this read.
            if (errno == EAGAIN)
            {
                return false;
            }

            if (errno != EINTR)
            {
                throw new PosixException($"read timerfd {Fd}", errno);
            }
        }

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
