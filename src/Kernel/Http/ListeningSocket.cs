using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Http;

/// <summary>
/// A non-blocking, close-on-exec TCP listening socket. The master binds it before forking so that every worker
/// accepts on the same kernel queue.
/// </summary>
internal sealed class ListeningSocket : IDisposable
{
    private ListeningSocket(int fd, SocketEndpoint local)
    {
        Fd = fd;
        Local = local;
        Address = local.Address.ToString();
        Port = local.Port;
        Endpoint = local.ToString();
    }

    /// <summary>The listening fd.</summary>
    public int Fd { get; private set; }

    /// <summary>The address and port it is bound to (the real port when 0 was asked for).</summary>
    public SocketEndpoint Local { get; }

    /// <summary>The bound address without brackets (<c>127.0.0.1</c>, <c>::1</c>).</summary>
    public string Address { get; }

    /// <summary>The bound port (the real one when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>Address and port as a listen spec (<c>[::1]:8080</c>), for logs.</summary>
    public string Endpoint { get; }

    /// <summary>Binds and listens on <paramref name="spec"/> (<c>127.0.0.1:8080</c>, <c>:8080</c>, <c>[::1]:80</c>).</summary>
    /// <exception cref="PosixException">The socket cannot be bound; the message names the address.</exception>
    public static ListeningSocket BindTcp(string spec, int backlog)
    {
        // Closed here if getsockname fails; the new object takes it otherwise.
        using var socket = new FileDescriptor(TcpListeners.Bind(SocketEndpoint.Parse(spec), backlog));
        var local = SocketOptions.LocalEndpoint(socket.Fd);
        return new ListeningSocket(socket.Release(), local);
    }

    /// <summary>Adopts an inherited listening socket, making it non-blocking and close-on-exec.</summary>
    /// <exception cref="PosixException">The fd is not a listening socket.</exception>
    public static ListeningSocket FromFd(int fd)
    {
        if (!SocketOptions.IsListening(fd))
        {
            throw new PosixException($"adopting fd {fd} as a listening socket (it is not listening)", Errno.EINVAL);
        }

        SocketOptions.MakeNonBlockingCloseOnExec(fd);
        return new ListeningSocket(fd, SocketOptions.LocalEndpoint(fd));
    }

    /// <summary>Clears close-on-exec so the socket survives this process's reload re-exec (no connection is refused meanwhile).</summary>
    public void KeepAcrossExec() => DescriptorFlags.SetCloseOnExec(Fd, closeOnExec: false, $"listening socket {Endpoint}");

    public void Dispose()
    {
        if (Fd >= 0)
        {
            Descriptors.Close(Fd);
            Fd = -1;
        }
    }
}
