using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Http;

/// <summary>
/// A non-blocking, close-on-exec listening socket, TCP or Unix-domain, and the protocol its clients speak. The
/// master (or an adopted vassal's spare worker) binds it before forking so that every worker accepts on the same
/// kernel queue.
/// </summary>
internal sealed class ListeningSocket : IDisposable
{
    private ListeningSocket(int fd, SocketEndpoint local, string? unixPath, ListenerProtocol protocol)
    {
        Fd = fd;
        Local = local;
        UnixPath = unixPath;
        Protocol = protocol;
        Address = unixPath ?? local.Address.ToString();
        Port = unixPath is null ? local.Port : 0;
        Endpoint = unixPath ?? local.ToString();
    }

    /// <summary>The listening fd.</summary>
    public int Fd { get; private set; }

    /// <summary>The address and port it is bound to (the real port when 0 was asked for); meaningless for a Unix-domain socket.</summary>
    public SocketEndpoint Local { get; }

    /// <summary>The path (or <c>@name</c>) of a Unix-domain socket; null for TCP.</summary>
    public string? UnixPath { get; }

    /// <summary>What its clients speak.</summary>
    public ListenerProtocol Protocol { get; }

    /// <summary>The bound address without brackets (<c>127.0.0.1</c>, <c>::1</c>), or the Unix-domain path.</summary>
    public string Address { get; }

    /// <summary>The bound port (the real one when 0 was asked for); 0 for a Unix-domain socket.</summary>
    public int Port { get; }

    /// <summary>Address and port as a listen spec (<c>[::1]:8080</c>), or the Unix-domain path, for logs.</summary>
    public string Endpoint { get; }

    /// <summary>Where it serves, for people: <c>http://127.0.0.1:8080</c>, <c>uwsgi://127.0.0.1:3031</c>, <c>uwsgi+unix:/run/app.sock</c>.</summary>
    public string Url => (Protocol == ListenerProtocol.Uwsgi ? "uwsgi" : "http") + (UnixPath is null ? "://" + Endpoint : "+unix:" + UnixPath);

    /// <summary>Whether <paramref name="spec"/> names a Unix-domain socket: it has no colon, or starts with <c>/</c>, <c>.</c> or <c>@</c> (as uWSGI reads it).</summary>
    public static bool IsUnixSpec(string spec) => spec.Length > 0 && (!spec.Contains(':') || spec[0] is '/' or '.' or '@');

    /// <summary>Binds and listens on <paramref name="spec"/> (<c>127.0.0.1:8080</c>, <c>:8080</c>, <c>[::1]:80</c>).</summary>
    /// <exception cref="PosixException">The socket cannot be bound; the message names the address.</exception>
    public static ListeningSocket BindTcp(string spec, int backlog, ListenerProtocol protocol = ListenerProtocol.Http)
    {
        // Closed here if getsockname fails; the new object takes it otherwise.
        using var socket = new FileDescriptor(TcpListeners.Bind(SocketEndpoint.Parse(spec), backlog));
        var local = SocketOptions.LocalEndpoint(socket.Fd);
        return new ListeningSocket(socket.Release(), local, null, protocol);
    }

    /// <summary>
    /// Binds and listens on the Unix-domain <paramref name="path"/> (<c>@name</c>: abstract), replacing a stale socket
    /// file. The file keeps the mode bind gave it (0777 less the umask) unless <paramref name="mode"/> says otherwise.
    /// </summary>
    /// <exception cref="PosixException">The socket cannot be bound; the message names the path.</exception>
    /// <exception cref="ArgumentException">The path does not fit a socket address.</exception>
    public static ListeningSocket BindUnix(string path, int backlog, UnixFileMode? mode, ListenerProtocol protocol)
    {
        // The file stays when the socket closes: a vassal's workers and its reload share it.
        int fd = UnixListeningSocket.Bind(path, backlog, mode, umaskWhenNoMode: true).Release();
        return new ListeningSocket(fd, default, path, protocol);
    }

    /// <summary>Adopts an inherited listening socket, making it non-blocking and close-on-exec.</summary>
    /// <exception cref="PosixException">The fd is not a listening socket.</exception>
    public static ListeningSocket FromFd(int fd, ListenerProtocol protocol = ListenerProtocol.Http)
    {
        if (!SocketOptions.IsListening(fd))
        {
            throw new PosixException($"adopting fd {fd} as a listening socket (it is not listening)", Errno.EINVAL);
        }

        SocketOptions.MakeNonBlockingCloseOnExec(fd);
        return SocketOptions.LocalUnixPath(fd) is { } path
            ? new ListeningSocket(fd, default, path, protocol)
            : new ListeningSocket(fd, SocketOptions.LocalEndpoint(fd), null, protocol);
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
