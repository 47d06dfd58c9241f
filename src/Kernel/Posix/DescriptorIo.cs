using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// read(2) and write(2) on any descriptor (a pipe, a file, a terminal), retried on EINTR. The sockets of an event
/// loop, which must never block, go through <see cref="SocketIo"/>.
/// </summary>
internal static unsafe class DescriptorIo
{
    /// <summary>One read(2); on a blocking descriptor it waits until something arrives.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="operation">Names the call in the error message, which appends the fd ("read from fork pipe").</param>
    /// <returns>The bytes read; 0 at end of file.</returns>
    /// <exception cref="PosixException">read failed.</exception>
    public static int Read(int fd, Span<byte> buffer, string operation)
    {
        fixed (byte* start = buffer)
        {
            long length;
            while ((length = read(fd, start, buffer.Length)) < 0)
            {
                ThrowUnlessInterrupted(operation, fd);
            }

            return (int)length;
        }
    }

    /// <summary>One write(2), which may take less than all of <paramref name="bytes"/> (a pipe takes up to PIPE_BUF bytes whole).</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="bytes">What to write.</param>
    /// <param name="operation">Names the call in the error message, which appends the fd ("write to fork pipe").</param>
    /// <returns>The bytes written.</returns>
    /// <exception cref="PosixException">write failed.</exception>
    public static int Write(int fd, ReadOnlySpan<byte> bytes, string operation)
    {
        fixed (byte* start = bytes)
        {
            long written;
            while ((written = write(fd, start, bytes.Length)) < 0)
            {
                ThrowUnlessInterrupted(operation, fd);
            }

            return (int)written;
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/>, in as many write(2) calls as it takes.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="bytes">What to write.</param>
    /// <param name="errno">The error of the write that failed; 0 when all were written.</param>
    /// <returns>False when a write failed (what came before it was written).</returns>
    public static bool TryWriteAll(int fd, ReadOnlySpan<byte> bytes, out int errno)
    {
        fixed (byte* start = bytes)
        {
            int done = 0;
            while (done < bytes.Length)
            {
                long n = write(fd, start + done, bytes.Length - done);
                if (n < 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    return false;
                }

                done += (int)n;
            }
        }

        errno = 0;
        return true;
    }

    private static void ThrowUnlessInterrupted(string operation, int fd)
    {
        int errno = Marshal.GetLastPInvokeError();
        if (errno != EINTR)
        {
            throw new PosixException($"{operation} {fd}", errno);
        }
    }
}
