using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>What one non-blocking accept on a listening socket gave.</summary>
internal enum AcceptOutcome
{
    /// <summary>A connection (non-blocking, close-on-exec).</summary>
    Accepted,

    /// <summary>The queue is empty (or another process took the connection).</summary>
    Empty,

    /// <summary>
    /// A failure such as EMFILE. The listener stays readable, so a level-triggered loop would spin on it: the
    /// caller must stop watching it for a while.
    /// </summary>
    Failed,
}

/// <summary>Accepts one connection from a non-blocking listening socket, retrying what is transient.</summary>
internal static unsafe class SocketAccept
{
    /// <param name="listenerFd">The listening socket.</param>
    /// <param name="peer">Receives the peer's address, or null when it is not wanted.</param>
    /// <param name="fd">The accepted connection when the outcome is <see cref="AcceptOutcome.Accepted"/>.</param>
    /// <param name="errno">The error when the outcome is <see cref="AcceptOutcome.Failed"/>.</param>
    public static AcceptOutcome Next(int listenerFd, sockaddr_storage* peer, out int fd, out int errno)
    {
        while (true)
        {
            socklen_t length = (socklen_t)sizeof(sockaddr_storage);
            fd = accept4(listenerFd, (sockaddr*)peer, peer == null ? null : &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd >= 0)
            {
                errno = 0;
                return AcceptOutcome.Accepted;
            }

            errno = Marshal.GetLastPInvokeError();
            if (errno == EAGAIN)
            {
                return AcceptOutcome.Empty;
            }

            // Interrupted, or the client gave up while queued: neither says anything about the next one.
            if (errno != EINTR && errno != ECONNABORTED)
            {
                return AcceptOutcome.Failed;
            }
        }
    }

    /// <summary>Accepts one connection and decodes its peer's address.</summary>
    /// <param name="listenerFd">The listening socket.</param>
    /// <param name="fd">The accepted connection when the outcome is <see cref="AcceptOutcome.Accepted"/>.</param>
    /// <param name="peer">
    /// The peer's address when the outcome is <see cref="AcceptOutcome.Accepted"/> (a Unix-domain peer reads as
    /// <see cref="SocketEndpoint.Read"/> says).
    /// </param>
    /// <param name="errno">The error when the outcome is <see cref="AcceptOutcome.Failed"/>.</param>
    public static AcceptOutcome Next(int listenerFd, out int fd, out SocketEndpoint peer, out int errno)
    {
        sockaddr_storage storage;
        var outcome = Next(listenerFd, &storage, out fd, out errno);
        peer = outcome == AcceptOutcome.Accepted ? SocketEndpoint.Read(&storage) : default;
        return outcome;
    }
}
