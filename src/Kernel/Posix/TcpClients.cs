using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Connecting TCP sockets.</summary>
internal static unsafe class TcpClients
{
    /// <summary>
    /// A non-blocking, close-on-exec TCP socket connecting to <paramref name="endpoint"/>: connected, or with the
    /// handshake under way (EINPROGRESS), which a send or a poll for writing completes.
    /// </summary>
    /// <returns>The fd; the caller owns it.</returns>
    /// <exception cref="PosixException">The socket cannot be created or the connect failed; the message names the address.</exception>
    public static int Connect(SocketEndpoint endpoint)
    {
        int fd = PosixException.ThrowIfFailed(
            socket(endpoint.Family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), $"socket for a connection to {endpoint}");
        sockaddr_storage storage;
        socklen_t length = endpoint.Write(&storage);
        int result;
        while ((result = connect(fd, (sockaddr*)&storage, length)) < 0 && Marshal.GetLastPInvokeError() == EINTR)
        {
        }

        if (result < 0 && Marshal.GetLastPInvokeError() is var errno && errno != EINPROGRESS)
        {
            Descriptors.Close(fd);
            throw new PosixException($"connect to {endpoint}", errno);
        }

        return fd;
    }
}
