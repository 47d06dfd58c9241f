using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Checked wrappers for the socket calls that take or return small values.</summary>
internal static unsafe class SocketOptions
{
    /// <summary>Sets an integer socket option.</summary>
    public static void SetInt(int fd, int level, int option, int value, string what)
        => PosixException.ThrowIfFailed(setsockopt(fd, level, option, &value, (socklen_t)sizeof(int)), $"setsockopt({what}) on fd {fd}");

    /// <summary>Reads an integer socket option.</summary>
    public static int GetInt(int fd, int level, int option, string what)
    {
        int value = 0;
        socklen_t length = (socklen_t)sizeof(int);
        PosixException.ThrowIfFailed(getsockopt(fd, level, option, &value, &length), $"getsockopt({what}) on fd {fd}");
        return value;
    }

    /// <summary>The local address a socket is bound to.</summary>
    public static SocketEndpoint LocalEndpoint(int fd)
    {
        sockaddr_storage storage;
        socklen_t length = (socklen_t)sizeof(sockaddr_storage);
        PosixException.ThrowIfFailed(getsockname(fd, (sockaddr*)&storage, &length), $"getsockname on fd {fd}");
        return SocketEndpoint.Read(&storage);
    }

    /// <summary>Adds flags to the file status flags (for <c>O_NONBLOCK</c>) and sets close-on-exec.</summary>
    public static void MakeNonBlockingCloseOnExec(int fd)
    {
        int flags = PosixException.ThrowIfFailed(fcntl(fd, F_GETFL), $"fcntl(F_GETFL) on fd {fd}");
        PosixException.ThrowIfFailed(fcntl(fd, F_SETFL, flags | O_NONBLOCK), $"fcntl(F_SETFL, O_NONBLOCK) on fd {fd}");
        int fdFlags = PosixException.ThrowIfFailed(fcntl(fd, F_GETFD), $"fcntl(F_GETFD) on fd {fd}");
        PosixException.ThrowIfFailed(fcntl(fd, F_SETFD, fdFlags | FD_CLOEXEC), $"fcntl(F_SETFD, FD_CLOEXEC) on fd {fd}");
    }
}
