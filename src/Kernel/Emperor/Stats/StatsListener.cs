using System.Runtime.InteropServices;
using System.Text;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// The stats socket: TCP when the address holds a ':' (<c>127.0.0.1:9191</c>), else a unix socket path, with
/// a leading <c>@</c> for Linux's abstract namespace. Non-blocking and close-on-exec, so vassals never inherit it.
/// </summary>
internal sealed unsafe class StatsListener : IDisposable
{
    private const int Backlog = 64;

    // Stats reveal pids, paths and uids of every vassal: only the Emperor's user may connect.
    private const int UnixSocketMode = 0x180; // 0600

    private readonly ListeningSocket? _tcp;
    private readonly string? _socketFile;

    private StatsListener(ListeningSocket tcp)
    {
        _tcp = tcp;
        Fd = tcp.Fd;
        Address = tcp.Endpoint;
        Port = tcp.Port;
    }

    private StatsListener(int fd, string path, string? socketFile)
    {
        Fd = fd;
        Address = path;
        _socketFile = socketFile;
    }

    /// <summary>The listening fd.</summary>
    public int Fd { get; private set; }

    /// <summary>The bound endpoint (<c>127.0.0.1:40123</c>) or the unix socket path.</summary>
    public string Address { get; }

    /// <summary>The bound TCP port (the real one when 0 was asked for); 0 for a unix socket.</summary>
    public int Port { get; }

    /// <summary>Binds and listens on <paramref name="address"/>.</summary>
    /// <exception cref="PosixException">The address cannot be bound; the message names it.</exception>
    /// <exception cref="FormatException">A TCP address is not <c>ip:port</c>.</exception>
    public static StatsListener Bind(string address)
        => address.Contains(':') ? new StatsListener(ListeningSocket.BindTcp(address, Backlog)) : BindUnix(address);

    public void Dispose()
    {
        if (Fd < 0)
        {
            return;
        }

        if (_tcp is not null)
        {
            _tcp.Dispose();
        }
        else
        {
            close(Fd);
        }

        Fd = -1;
        if (_socketFile is not null)
        {
            try
            {
                File.Delete(_socketFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the next start unlinks a leftover socket anyway.
            }
        }
    }

    private static StatsListener BindUnix(string path)
    {
        bool isAbstract = path.StartsWith('@');
        sockaddr_un socketAddress = default;
        socketAddress.sun_family = (ushort)AF_UNIX;
        int maxPath = sizeof(sockaddr_un) - sizeof(ushort) - 1;
        int pathBytes = Encoding.UTF8.GetByteCount(path);
        if (pathBytes == 0 || pathBytes > maxPath)
        {
            throw new PosixException($"binding stats socket '{path}' (a unix socket path takes 1 to {maxPath} bytes)", ENAMETOOLONG);
        }

        var pathSpan = new Span<byte>(socketAddress.sun_path, pathBytes);
        Encoding.UTF8.GetBytes(path, pathSpan);
        if (isAbstract)
        {
            pathSpan[0] = 0;
        }
        else
        {
            RemoveStaleSocket(path);
        }

        // An abstract name's length is exact (no terminator); a path's includes the NUL.
        var length = (socklen_t)(sizeof(ushort) + pathBytes + (isAbstract ? 0 : 1));
        int fd = PosixException.ThrowIfFailed(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), $"socket for stats '{path}'");
        try
        {
            PosixException.ThrowIfFailed(bind(fd, (sockaddr*)&socketAddress, length), $"bind stats socket '{path}'");
            if (!isAbstract)
            {
                // The umask decided the mode at bind; connecting needs write permission, so nobody else got in meanwhile
                // unless the umask grants other users write, which an Emperor's should not.
                ChangeMode(path, UnixSocketMode);
            }

            PosixException.ThrowIfFailed(listen(fd, Backlog), $"listen on stats socket '{path}'");
            return new StatsListener(fd, path, isAbstract ? null : path);
        }
        catch
        {
            close(fd);
            throw;
        }
    }

    private static void RemoveStaleSocket(string path)
    {
        // A socket left by an earlier Emperor blocks bind (EADDRINUSE). Only a socket is removed: anything else at
        // that path is a configuration mistake, and deleting it could lose data.
        stat status;
        fixed (byte* pathPointer = NativePath(path))
        {
            if (lstat(pathPointer, &status) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == ENOENT)
                {
                    return;
                }

                throw new PosixException($"lstat stats socket '{path}'", errno);
            }

            if ((status.st_mode & S_IFMT) != S_IFSOCK)
            {
                throw new PosixException($"binding stats socket '{path}' (something other than a socket is there)", EADDRINUSE);
            }

            PosixException.ThrowIfFailed(unlink(pathPointer), $"unlink stale stats socket '{path}'");
        }
    }

    private static void ChangeMode(string path, int mode)
    {
        fixed (byte* pathPointer = NativePath(path))
        {
            PosixException.ThrowIfFailed(fchmodat(AT_FDCWD, pathPointer, (mode_t)mode, 0), $"chmod stats socket '{path}'");
        }
    }

    private static byte[] NativePath(string path) => Encoding.UTF8.GetBytes(path + "\0");
}
