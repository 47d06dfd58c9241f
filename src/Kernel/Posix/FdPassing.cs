using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// Sends and receives a payload with file descriptors attached (SCM_RIGHTS) over a connected Unix-domain stream
/// socket, as the fork-server session does (docs/protocol.md#fork-server-session). Every call is non-blocking whatever
/// the socket's own flags, and waits with poll until a deadline, so neither side can hang the other.
/// </summary>
internal static unsafe partial class FdPassing
{
    /// <summary>How many fds one read accepts; more in one message is a protocol violation (the session sends 1–3).</summary>
    public const int ReceiveCapacity = 8;

    private const int FdSize = sizeof(int);

    /// <summary>The size of struct cmsghdr rounded to the control-message alignment, i.e. CMSG_LEN(0).</summary>
    private static readonly int HeaderLength = Align(sizeof(ControlMessageHeader));

    /// <summary>Room for a full SCM_RIGHTS message plus an SCM_CREDENTIALS one, should the socket have SO_PASSCRED.</summary>
    private static readonly int ReceiveControlLength = Space(ReceiveCapacity * FdSize) + Space(3 * sizeof(int));

    /// <summary>
    /// Sends <paramref name="payload"/> with <paramref name="fds"/> in one SCM_RIGHTS message attached to its first
    /// bytes; whatever the first sendmsg leaves is sent plainly.
    /// </summary>
    /// <param name="socketFd">A connected Unix-domain stream socket, blocking or not.</param>
    /// <param name="payload">At least one byte: fds cannot travel without data.</param>
    /// <param name="fds">The fds to pass; the caller still owns (and closes) its copies.</param>
    /// <param name="deadline">When to give up, in <see cref="Environment.TickCount64"/> milliseconds.</param>
    /// <exception cref="TimeoutException">The peer did not take the payload before the deadline.</exception>
    /// <exception cref="PosixException">sendmsg, send or poll failed (EPIPE when the peer has gone).</exception>
    public static void Send(int socketFd, ReadOnlySpan<byte> payload, ReadOnlySpan<int> fds, long deadline)
    {
        if (payload.IsEmpty)
        {
            throw new ArgumentException("fds need at least one byte of payload to travel with", nameof(payload));
        }

        int controlLength = fds.IsEmpty ? 0 : Space(fds.Length * FdSize);
        ulong* control = stackalloc ulong[(controlLength + sizeof(ulong) - 1) / sizeof(ulong)];
        if (!fds.IsEmpty)
        {
            var header = (ControlMessageHeader*)control;

            // Not Tmds.LibC's CMSG_LEN: in 0.5.0 it over-counts, and the kernel then passes a spurious fd 0
            // (docs/internals/posix.md#passing-descriptors).
            header->Length = (nuint)(HeaderLength + fds.Length * FdSize);
            header->Level = SOL_SOCKET;
            header->Type = SCM_RIGHTS;
            fds.CopyTo(new Span<int>((byte*)control + HeaderLength, fds.Length));
        }

        int sent;
        fixed (byte* data = payload)
        {
            var vector = new IoVector { Base = data, Length = (nuint)payload.Length };
            var message = new MessageHeader
            {
                IoVectors = &vector,
                IoVectorCount = 1,
                Control = controlLength == 0 ? null : control,
                ControlLength = (nuint)controlLength,
            };
            while ((sent = (int)SendMessage(socketFd, &message, MSG_DONTWAIT | MSG_NOSIGNAL)) < 0)
            {
                WaitAfterFailure(socketFd, POLLOUT, deadline, $"sendmsg with {fds.Length} fds on fd {socketFd}");
            }

            // The fds went with the first byte; the rest is ordinary stream data.
            while (sent < payload.Length)
            {
                long count = Send(socketFd, data + sent, (nuint)(payload.Length - sent), MSG_DONTWAIT | MSG_NOSIGNAL);
                if (count < 0)
                {
                    WaitAfterFailure(socketFd, POLLOUT, deadline, $"send on fd {socketFd}");
                    continue;
                }

                sent += (int)count;
            }
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="buffer"/>.Length bytes, appending every fd that arrives with them to
    /// <paramref name="fds"/> in order. Received fds are close-on-exec. On any failure the fds this call added are
    /// closed and removed again, so the caller only ever owns fds of a complete read.
    /// </summary>
    /// <param name="socketFd">A connected Unix-domain stream socket, blocking or not.</param>
    /// <param name="buffer">Filled completely, or the call throws.</param>
    /// <param name="fds">Receives the passed fds; the caller owns (and closes) them.</param>
    /// <param name="deadline">When to give up, in <see cref="Environment.TickCount64"/> milliseconds.</param>
    /// <exception cref="EndOfStreamException">The peer closed before the buffer was full.</exception>
    /// <exception cref="FdPassingException">More fds came than <see cref="ReceiveCapacity"/> (MSG_CTRUNC).</exception>
    /// <exception cref="TimeoutException">The buffer was not full by the deadline.</exception>
    /// <exception cref="PosixException">recvmsg or poll failed.</exception>
    public static void ReceiveExactly(int socketFd, Span<byte> buffer, List<int> fds, long deadline)
    {
        int alreadyOwned = fds.Count;
        try
        {
            int received = 0;
            while (received < buffer.Length)
            {
                int count = ReceiveOnce(socketFd, buffer[received..], fds, deadline);
                if (count == 0)
                {
                    throw new EndOfStreamException(
                        $"fd {socketFd} reached end of stream after {received} of {buffer.Length} bytes");
                }

                received += count;
            }
        }
        catch
        {
            for (int i = alreadyOwned; i < fds.Count; i++)
            {
                Descriptors.Close(fds[i]);
            }

            fds.RemoveRange(alreadyOwned, fds.Count - alreadyOwned);
            throw;
        }
    }

    /// <summary>
    /// Blocks, without a bound, until data or the peer's end arrives, consuming nothing: for a process that idles
    /// on a channel until it is needed (a spare vassal, a spare worker).
    /// </summary>
    /// <returns>True when data came, false at the peer's end (or an error, which the next read would report).</returns>
    public static bool WaitForData(int socketFd)
    {
        byte first;
        long peeked;
        while ((peeked = recv(socketFd, &first, 1, MSG_PEEK)) < 0 && Marshal.GetLastPInvokeError() == EINTR)
        {
        }

        return peeked > 0;
    }

    /// <returns>The bytes read, 0 at end of stream.</returns>
    private static int ReceiveOnce(int socketFd, Span<byte> buffer, List<int> fds, long deadline)
    {
        int count;
        while ((count = ReceiveAvailable(socketFd, buffer, fds)) < 0)
        {
            WaitUntilReady(socketFd, POLLIN, deadline, $"recvmsg on fd {socketFd}");
        }

        return count;
    }

    /// <summary>
    /// One non-blocking read: what has arrived, with the fds that came with it appended to <paramref name="fds"/>
    /// (close-on-exec; the caller owns them).
    /// </summary>
    /// <returns>The bytes read, 0 at end of stream, -1 when nothing has arrived.</returns>
    /// <exception cref="FdPassingException">More fds came than <see cref="ReceiveCapacity"/> (MSG_CTRUNC).</exception>
    /// <exception cref="PosixException">recvmsg failed.</exception>
    public static int ReceiveAvailable(int socketFd, Span<byte> buffer, List<int> fds)
    {
        ulong* control = stackalloc ulong[ReceiveControlLength / sizeof(ulong)];
        fixed (byte* data = buffer)
        {
            var vector = new IoVector { Base = data, Length = (nuint)buffer.Length };
            var message = new MessageHeader
            {
                IoVectors = &vector,
                IoVectorCount = 1,
                Control = control,
                ControlLength = (nuint)ReceiveControlLength,
            };

            // MSG_CMSG_CLOEXEC: a received fd must not leak into a process spawned before the caller can set the flag.
            int count;
            while ((count = (int)ReceiveMessage(socketFd, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EAGAIN)
                {
                    return -1;
                }

                if (errno != EINTR)
                {
                    throw new PosixException($"recvmsg on fd {socketFd}", errno);
                }
            }

            int before = fds.Count;
            CollectFds(control, (int)message.ControlLength, fds);

            // The credentials room can hold a few more fds when SO_PASSCRED is off; the limit is the same either way.
            if ((message.Flags & MSG_CTRUNC) != 0 || fds.Count - before > ReceiveCapacity)
            {
                throw new FdPassingException(
                    $"fd {socketFd}: the peer passed more than {ReceiveCapacity} fds at once and the kernel dropped the rest (MSG_CTRUNC)");
            }

            return count;
        }
    }

    private static void CollectFds(ulong* control, int controlLength, List<int> fds)
    {
        // Other control messages (SCM_CREDENTIALS under SO_PASSCRED) are not ours to act on; they hold no fds.
        int offset = 0;
        while (offset + HeaderLength <= controlLength)
        {
            var header = (ControlMessageHeader*)((byte*)control + offset);
            int length = (int)header->Length;
            if (length < HeaderLength || offset + length > controlLength)
            {
                break;
            }

            if (header->Level == SOL_SOCKET && header->Type == SCM_RIGHTS)
            {
                fds.AddRange(new ReadOnlySpan<int>((byte*)header + HeaderLength, (length - HeaderLength) / FdSize));
            }

            offset += Align(length);
        }
    }

    /// <summary>After a failed socket call: waits for readiness on EAGAIN, returns at once on EINTR, throws otherwise.</summary>
    private static void WaitAfterFailure(int socketFd, short events, long deadline, string operation)
    {
        int errno = Marshal.GetLastPInvokeError();
        if (errno == EAGAIN)
        {
            WaitUntilReady(socketFd, events, deadline, operation);
        }
        else if (errno != EINTR)
        {
            throw new PosixException(operation, errno);
        }
    }

    private static void WaitUntilReady(int socketFd, short events, long deadline, string operation)
    {
        var descriptor = new SystemCalls.PollDescriptor { Fd = socketFd, Events = events };
        while (true)
        {
            long remainingMs = deadline - Environment.TickCount64;
            if (remainingMs <= 0)
            {
                throw new TimeoutException($"{operation}: the peer was not ready before the deadline");
            }

            int ready = SystemCalls.Poll(&descriptor, 1, (int)Math.Min(remainingMs, int.MaxValue));

            // Any returned event, errors and hang-ups included, goes back to the call, which reports it precisely.
            if (ready > 0)
            {
                return;
            }

            if (ready < 0 && Marshal.GetLastPInvokeError() is var errno && errno != EINTR)
            {
                throw new PosixException($"poll while waiting for {operation}", errno);
            }
        }
    }

    private static int Align(int length) => (length + sizeof(nint) - 1) & ~(sizeof(nint) - 1);

    private static int Space(int dataLength) => HeaderLength + Align(dataLength);
}
