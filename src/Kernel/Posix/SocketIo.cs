using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// send(2) and recv(2) on a connected socket that never block, whatever the socket's own flags (MSG_DONTWAIT), and
/// never raise SIGPIPE (MSG_NOSIGNAL): an event loop's reads and writes. EINTR is retried; anything else that
/// happens is an <see cref="IoOutcome"/>, for the caller to act on.
/// </summary>
internal static unsafe class SocketIo
{
    /// <summary>One recv of what has arrived, up to <paramref name="buffer"/>'s length.</summary>
    /// <param name="fd">The socket.</param>
    /// <param name="buffer">Where the bytes go; not empty (an empty receive reads as end of stream).</param>
    /// <param name="count">The bytes received when <see cref="IoOutcome.Transferred"/>; 0 otherwise.</param>
    /// <param name="errno">The error when <see cref="IoOutcome.Failed"/>.</param>
    public static IoOutcome Receive(int fd, Span<byte> buffer, out int count, out int errno)
    {
        fixed (byte* start = buffer)
        {
            long n;
            while ((n = recv(fd, start, buffer.Length, MSG_DONTWAIT)) < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    count = 0;
                    return FailureOutcome(errno);
                }
            }

            count = (int)n;
            errno = 0;
            return n == 0 ? IoOutcome.EndOfStream : IoOutcome.Transferred;
        }
    }

    /// <summary>One send of as much of <paramref name="bytes"/> as the socket takes now.</summary>
    /// <param name="fd">The socket.</param>
    /// <param name="bytes">What to send.</param>
    /// <param name="count">The bytes sent when <see cref="IoOutcome.Transferred"/>; 0 otherwise.</param>
    /// <param name="errno">The error when <see cref="IoOutcome.Failed"/> (EPIPE once the peer has gone).</param>
    /// <returns><see cref="IoOutcome.Transferred"/>, <see cref="IoOutcome.WouldBlock"/> or <see cref="IoOutcome.Failed"/>.</returns>
    public static IoOutcome Send(int fd, ReadOnlySpan<byte> bytes, out int count, out int errno)
    {
        fixed (byte* start = bytes)
        {
            long n;
            while ((n = send(fd, start, bytes.Length, MSG_DONTWAIT | MSG_NOSIGNAL)) < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    count = 0;
                    return FailureOutcome(errno);
                }
            }

            count = (int)n;
            errno = 0;
            return IoOutcome.Transferred;
        }
    }

    /// <summary>Sends the one byte <paramref name="value"/>; false when it could not go (a full buffer, a peer gone).</summary>
    public static bool TrySendByte(int fd, byte value)
        => Send(fd, new ReadOnlySpan<byte>(in value), out int count, out _) == IoOutcome.Transferred && count == 1;

    /// <summary>shutdown(SHUT_WR): sends FIN once everything queued has gone; the socket can still receive.</summary>
    /// <param name="fd">The socket.</param>
    /// <param name="errno">The error when it failed (ENOTCONN once the peer reset the connection).</param>
    /// <returns>False when it failed.</returns>
    public static bool TryShutdownWrite(int fd, out int errno)
    {
        errno = shutdown(fd, SHUT_WR) < 0 ? Marshal.GetLastPInvokeError() : 0;
        return errno == 0;
    }

    /// <summary>
    /// Whether the peer closed the connection (or shut down its sending side), whatever data still waits to be read:
    /// poll(2) for POLLRDHUP without waiting.
    /// </summary>
    public static bool PeerHungUp(int fd)
    {
        // POLLRDHUP (0x2000) is Linux's; not every libc binding names it.
        const short PollReadHangUp = 0x2000;
        var descriptor = new SystemCalls.PollDescriptor { Fd = fd, Events = PollReadHangUp };
        int ready;
        while ((ready = SystemCalls.Poll(&descriptor, 1, 0)) < 0 && Marshal.GetLastPInvokeError() == EINTR)
        {
        }

        return ready > 0 && (descriptor.ReturnedEvents & (PollReadHangUp | POLLHUP)) != 0;
    }

    private static IoOutcome FailureOutcome(int errno) => errno == EAGAIN ? IoOutcome.WouldBlock : IoOutcome.Failed;
}
