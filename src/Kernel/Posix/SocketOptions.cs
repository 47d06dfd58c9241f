using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Checked wrappers for the socket calls that take or return small values.</summary>
internal static unsafe class SocketOptions
{
    /// <summary>SO_REUSEADDR: a restarted server binds its port at once although old connections linger in TIME_WAIT.</summary>
    public static void SetReuseAddress(int fd) => SetInt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");

    /// <summary>
    /// TCP_NODELAY: small writes leave at once instead of waiting for a delayed ACK (Nagle). A Unix-domain socket has
    /// no Nagle and refuses the option (EOPNOTSUPP), which is ignored.
    /// </summary>
    public static void SetNoDelay(int fd)
    {
        int value = 1;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &value, (socklen_t)sizeof(int)) < 0
            && Marshal.GetLastPInvokeError() is var errno && errno != EOPNOTSUPP)
        {
            throw new PosixException($"setsockopt(TCP_NODELAY) on fd {fd}", errno);
        }
    }

    /// <summary>
    /// TCP_DEFER_ACCEPT on a listening socket: a connection waits in the kernel, out of <c>accept</c>'s reach, until
    /// its first bytes arrive or about <paramref name="seconds"/> have passed.
    /// </summary>
    /// <returns>0, or the errno (EOPNOTSUPP and ENOPROTOOPT on a socket that is not TCP).</returns>
    public static int TrySetDeferAccept(int fd, int seconds)
        => setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds, (socklen_t)sizeof(int)) < 0 ? Marshal.GetLastPInvokeError() : 0;

    /// <summary>Whether the socket listens (SO_ACCEPTCONN).</summary>
    /// <exception cref="PosixException">The fd is not a socket.</exception>
    public static bool IsListening(int fd) => GetInt(fd, SOL_SOCKET, SO_ACCEPTCONN, "SO_ACCEPTCONN") != 0;

    /// <summary>The local address a socket is bound to.</summary>
    public static SocketEndpoint LocalEndpoint(int fd)
    {
        sockaddr_storage storage;
        socklen_t length = (socklen_t)sizeof(sockaddr_storage);
        PosixException.ThrowIfFailed(getsockname(fd, (sockaddr*)&storage, &length), $"getsockname on fd {fd}");
        return SocketEndpoint.Read(&storage);
    }

    /// <summary>The path (or <c>@name</c>) a Unix-domain socket is bound to; null for a socket of another family.</summary>
    public static string? LocalUnixPath(int fd)
    {
        sockaddr_un address;
        socklen_t length = (socklen_t)sizeof(sockaddr_un);
        PosixException.ThrowIfFailed(getsockname(fd, (sockaddr*)&address, &length), $"getsockname on fd {fd}");
        if (address.sun_family != AF_UNIX)
        {
            return null;
        }

        int pathBytes = (int)length - sizeof(ushort);
        var path = new ReadOnlySpan<byte>(address.sun_path, Math.Max(0, pathBytes));
        if (path.IsEmpty)
        {
            return string.Empty;
        }

        // An abstract name starts with NUL and is exactly its bytes; a file path ends at its NUL.
        return path[0] == 0
            ? "@" + System.Text.Encoding.UTF8.GetString(path[1..])
            : System.Text.Encoding.UTF8.GetString(path[..(path.IndexOf((byte)0) is var nul and >= 0 ? nul : path.Length)]);
    }

    /// <summary>Adds flags to the file status flags (for <c>O_NONBLOCK</c>) and sets close-on-exec.</summary>
    public static void MakeNonBlockingCloseOnExec(int fd)
    {
        int flags = PosixException.ThrowIfFailed(fcntl(fd, F_GETFL), $"fcntl(F_GETFL) on fd {fd}");
        PosixException.ThrowIfFailed(fcntl(fd, F_SETFL, flags | O_NONBLOCK), $"fcntl(F_SETFL, O_NONBLOCK) on fd {fd}");
        int fdFlags = PosixException.ThrowIfFailed(fcntl(fd, F_GETFD), $"fcntl(F_GETFD) on fd {fd}");
        PosixException.ThrowIfFailed(fcntl(fd, F_SETFD, fdFlags | FD_CLOEXEC), $"fcntl(F_SETFD, FD_CLOEXEC) on fd {fd}");
    }

    private static void SetInt(int fd, int level, int option, int value, string what)
        => PosixException.ThrowIfFailed(setsockopt(fd, level, option, &value, (socklen_t)sizeof(int)), $"setsockopt({what}) on fd {fd}");

    private static int GetInt(int fd, int level, int option, string what)
    {
        int value = 0;
        socklen_t length = (socklen_t)sizeof(int);
        PosixException.ThrowIfFailed(getsockopt(fd, level, option, &value, &length), $"getsockopt({what}) on fd {fd}");
        return value;
    }
}
