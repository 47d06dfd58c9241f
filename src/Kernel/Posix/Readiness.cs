using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Waits, with poll(2) and a deadline, until one descriptor is ready; EINTR is retried.</summary>
internal static unsafe class Readiness
{
    /// <summary>Waits until <paramref name="fd"/> is readable, at end of file or in error, or the deadline passes.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="deadline">When to give up, in <see cref="Environment.TickCount64"/> milliseconds.</param>
    /// <param name="operation">Names the call in the error message, which appends the fd ("poll on fork pipe").</param>
    /// <returns>False when the deadline passed first.</returns>
    /// <exception cref="PosixException">poll failed.</exception>
    public static bool WaitReadable(int fd, long deadline, string operation) => Wait(fd, POLLIN, deadline, operation);

    /// <summary>Waits until <paramref name="fd"/> is writable or in error, or the deadline passes.</summary>
    /// <inheritdoc cref="WaitReadable"/>
    public static bool WaitWritable(int fd, long deadline, string operation) => Wait(fd, POLLOUT, deadline, operation);

    private static bool Wait(int fd, short events, long deadline, string operation)
    {
        var descriptor = new SystemCalls.PollDescriptor { Fd = fd, Events = events };
        while (true)
        {
            long remainingMs = Math.Max(0, deadline - Environment.TickCount64);
            int ready = SystemCalls.Poll(&descriptor, 1, (int)Math.Min(remainingMs, int.MaxValue));

            // Any returned event, errors and hang-ups included, is the caller's next call to report.
            if (ready > 0)
            {
                return true;
            }

            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    throw new PosixException($"{operation} {fd}", errno);
                }
            }
            else if (remainingMs == 0)
            {
                return false;
            }
        }
    }
}
