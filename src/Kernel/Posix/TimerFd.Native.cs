using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>The timerfd calls, which Tmds.LibC 0.5.0 lacks, and struct itimerspec.</summary>
internal sealed unsafe partial class TimerFd
{
    private const int ClockMonotonic = 1;

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
