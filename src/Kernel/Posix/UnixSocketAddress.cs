using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// Unix-domain socket addresses: a file path, or <c>@name</c> for the Linux abstract namespace (the <c>@</c> stands
/// for the leading NUL byte, as in <c>ss</c> and uWSGI).
/// </summary>
internal static unsafe class UnixSocketAddress
{
    /// <summary>sun_path is 108 bytes; a file path needs one of them for its terminating NUL.</summary>
    public const int MaxPathBytes = 107;

    /// <summary>Whether <paramref name="path"/> names the abstract namespace rather than a file.</summary>
    public static bool IsAbstract(string path) => path.StartsWith('@');

    /// <summary>Encodes <paramref name="path"/> for <c>bind</c> or <c>connect</c>.</summary>
    /// <returns>The address length to pass along with it.</returns>
    /// <exception cref="ArgumentException">The path is empty or does not fit in sun_path.</exception>
    public static socklen_t Write(string path, sockaddr_un* address)
    {
        int pathBytes = Encoding.UTF8.GetByteCount(path);
        bool isAbstract = IsAbstract(path);

        // For an abstract name the '@' becomes the leading NUL, so it spends the byte a file path's terminator would.
        if (pathBytes > MaxPathBytes + (isAbstract ? 1 : 0) || path.Length == 0 || path == "@" || path.Contains('\0'))
        {
            throw new ArgumentException($"'{path}' is not a usable unix socket path (1 to {MaxPathBytes} bytes, no NUL)", nameof(path));
        }

        *address = default;
        address->sun_family = (ushort)AF_UNIX;
        var pathSpan = new Span<byte>(address->sun_path, pathBytes);
        Encoding.UTF8.GetBytes(path, pathSpan);
        if (isAbstract)
        {
            pathSpan[0] = 0;
        }

        // An abstract name is exactly its bytes (trailing NULs would be part of the name); a file path counts its NUL.
        return (socklen_t)(sizeof(ushort) + pathBytes + (isAbstract ? 0 : 1));
    }

    /// <summary>Connects a new blocking, close-on-exec stream socket to <paramref name="path"/>.</summary>
    /// <returns>The connected fd; the caller owns it.</returns>
    /// <exception cref="PosixException">The socket cannot be created or the connection is refused.</exception>
    public static int Connect(string path)
    {
        sockaddr_un address;
        socklen_t length = Write(path, &address);
        int fd = PosixException.ThrowIfFailed(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), $"socket to connect to '{path}'");
        while (connect(fd, (sockaddr*)&address, length) < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                Descriptors.Close(fd);
                throw new PosixException($"connect to unix socket '{path}'", errno);
            }
        }

        return fd;
    }

    /// <summary>
    /// Connects a new non-blocking, close-on-exec stream socket to <paramref name="path"/> without waiting: a peer that
    /// does not listen (yet) is an outcome, not an error.
    /// </summary>
    /// <param name="path">A file path, or <c>@name</c>.</param>
    /// <param name="purpose">What the socket is for, as the error message says it ("the fork server").</param>
    /// <param name="fd">The connected socket when <see cref="ConnectOutcome.Connected"/> (the caller owns it); -1 otherwise.</param>
    /// <param name="errno">The error when <see cref="ConnectOutcome.Failed"/>.</param>
    /// <exception cref="ArgumentException">The path is empty or does not fit in sun_path.</exception>
    /// <exception cref="PosixException">The socket cannot be created.</exception>
    public static ConnectOutcome TryConnect(string path, string purpose, out int fd, out int errno)
    {
        sockaddr_un address;
        socklen_t length = Write(path, &address);
        int socketFd = PosixException.ThrowIfFailed(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), $"socket for {purpose}");
        if (connect(socketFd, (sockaddr*)&address, length) == 0)
        {
            fd = socketFd;
            errno = 0;
            return ConnectOutcome.Connected;
        }

        errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        Descriptors.Close(socketFd);
        fd = -1;
        return errno == ENOENT || errno == ECONNREFUSED ? ConnectOutcome.NotListening
            : errno == EAGAIN ? ConnectOutcome.BacklogFull
            : ConnectOutcome.Failed;
    }
}
