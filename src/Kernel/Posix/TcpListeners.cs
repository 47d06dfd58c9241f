using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Listening TCP sockets.</summary>
internal static unsafe class TcpListeners
{
    /// <summary>
    /// A non-blocking, close-on-exec TCP socket bound to <paramref name="endpoint"/> (with SO_REUSEADDR, so a
    /// restarted master binds again at once) and listening.
    /// </summary>
    /// <returns>The listening fd; the caller owns it.</returns>
    /// <exception cref="PosixException">The socket cannot be bound; the message names the address.</exception>
    public static int Bind(SocketEndpoint endpoint, int backlog)
    {
        int fd = PosixException.ThrowIfFailed(
            socket(endpoint.Family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), $"socket for {endpoint}");
        try
        {
            SocketOptions.SetReuseAddress(fd);
            sockaddr_storage storage;
            socklen_t length = endpoint.Write(&storage);
            PosixException.ThrowIfFailed(bind(fd, (sockaddr*)&storage, length), $"bind {endpoint}");
            PosixException.ThrowIfFailed(listen(fd, backlog), $"listen on {endpoint}");
            return fd;
        }
        catch
        {
            Descriptors.Close(fd);
            throw;
        }
    }
}
