using System.Runtime.InteropServices;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// A once-a-second timerfd for an <see cref="EventLoop"/>, which has no timers of its own. The stats server
/// runs it only while it has connections to expire, so an idle Emperor is not woken for nothing.
/// </summary>
internal sealed unsafe partial class SweepTimer : IDisposable
{
    private const int ClockMonotonic = 1;
    private const int IntervalSeconds = 1;

    private readonly EventLoop _loop;
    private readonly Action _onTick;
    private bool _running;

    public SweepTimer(EventLoop loop, Action onTick)
    {
        _loop = loop;
        _onTick = onTick;

        // TFD_NONBLOCK and TFD_CLOEXEC have the values of O_NONBLOCK and O_CLOEXEC.
        Fd = PosixException.ThrowIfFailed(TimerFdCreate(ClockMonotonic, O_NONBLOCK | O_CLOEXEC), "timerfd_create");
        _loop.Add(Fd, EventLoop.Readable, OnReady);
    }

    /// <summary>The timerfd.</summary>
    public int Fd { get; private set; }

    /// <summary>Starts ticking every second; does nothing when already running.</summary>
    public void Run()
    {
        if (!_running)
        {
            Arm(IntervalSeconds);
            _running = true;
        }
    }

    /// <summary>Stops ticking.</summary>
    public void Stop()
    {
        if (_running)
        {
            Arm(0);
            _running = false;
        }
    }

    public void Dispose()
    {
        if (Fd >= 0)
        {
            _loop.Remove(Fd);
            Descriptors.Close(Fd);
            Fd = -1;
        }
    }

    private void Arm(long seconds)
    {
        var spec = new TimerSpec { IntervalSeconds = seconds, ValueSeconds = seconds };
        PosixException.ThrowIfFailed(TimerFdSetTime(Fd, 0, &spec, null), $"timerfd_settime({seconds} s) on fd {Fd}");
    }

    private void OnReady(int events)
    {
        ulong expirations;
        if (read(Fd, &expirations, sizeof(ulong)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();

            // EAGAIN: the timer was stopped between the wakeup and this read.
            if (errno == EAGAIN)
            {
                return;
            }

            throw new PosixException($"read timerfd {Fd}", errno);
        }

        _onTick();
    }

    [LibraryImport("libc", EntryPoint = "timerfd_create", SetLastError = true)]
    private static partial int TimerFdCreate(int clockId, int flags);

    [LibraryImport("libc", EntryPoint = "timerfd_settime", SetLastError = true)]
    private static partial int TimerFdSetTime(int fd, int flags, TimerSpec* newValue, TimerSpec* oldValue);

    /// <summary>struct itimerspec on 64-bit Linux: interval, then first expiry, each as seconds and nanoseconds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimerSpec
    {
        public long IntervalSeconds;
        public long IntervalNanoseconds;
        public long ValueSeconds;
        public long ValueNanoseconds;
    }
}
