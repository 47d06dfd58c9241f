using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// A non-blocking, close-on-exec Unix-domain stream listening socket, on a file path or in the abstract namespace
/// (<c>@name</c>). A file socket is removed again on <see cref="Dispose"/> by the process that bound it.
/// </summary>
internal sealed unsafe class UnixListeningSocket : IDisposable
{
    /// <summary>Only the owner may connect unless told otherwise: whoever connects can ask for a process.</summary>
    private const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // The process that bound the socket: only it removes the file. A forked copy (an adopted vassal dropping the
    // base's listener) closes its fd and leaves the file to the base, which still listens on it.
    private readonly int _owner;

    private UnixListeningSocket(int fd, string path)
    {
        Fd = fd;
        Path = path;
        _owner = ProcessCalls.GetPid();
    }

    /// <summary>The listening fd; -1 once disposed.</summary>
    public int Fd { get; private set; }

    /// <summary>The path (or <c>@name</c>) it was bound to.</summary>
    public string Path { get; }

    /// <summary>Binds <paramref name="path"/>, sets its mode (file paths only) and listens.</summary>
    /// <param name="path">A file path, or <c>@name</c> for the abstract namespace.</param>
    /// <param name="backlog">The listen backlog.</param>
    /// <param name="mode">The socket file's mode; 0600 when null. Ignored for abstract names, which have none.</param>
    /// <param name="umaskWhenNoMode">With no <paramref name="mode"/>, leave the mode bind gave the file (0777 less the umask) instead of 0600.</param>
    /// <exception cref="ArgumentException">The path does not fit in sun_path.</exception>
    /// <exception cref="PosixException">
    /// Something other than a socket is at the path (EADDRINUSE), or a call failed; the message names the path.
    /// </exception>
    public static UnixListeningSocket Bind(string path, int backlog, UnixFileMode? mode = null, bool umaskWhenNoMode = false)
    {
        sockaddr_un address;
        socklen_t length = UnixSocketAddress.Write(path, &address);
        bool isFile = !UnixSocketAddress.IsAbstract(path);
        if (isFile)
        {
            RemoveStaleSocket(path);
        }

        int fd = PosixException.ThrowIfFailed(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), $"socket for unix listener '{path}'");
        bool bound = false;
        try
        {
            PosixException.ThrowIfFailed(bind(fd, (sockaddr*)&address, length), $"bind unix socket '{path}'");
            bound = true;
            if (isFile && (mode is not null || !umaskWhenNoMode))
            {
                // bind created the file under the umask; listen comes after chmod, so nobody connects in between.
                fixed (byte* pathPointer = NativePath(path))
                {
                    PosixException.ThrowIfFailed(
                        fchmodat(AT_FDCWD, pathPointer, (mode_t)(int)(mode ?? DefaultMode), 0), $"chmod unix socket '{path}'");
                }
            }

            PosixException.ThrowIfFailed(listen(fd, backlog), $"listen on unix socket '{path}'");
            return new UnixListeningSocket(fd, path);
        }
        catch
        {
            Descriptors.Close(fd);

            // Only a file this call created: after a failed bind the path may belong to someone else's socket.
            if (isFile && bound)
            {
                RemoveSocketFile(path);
            }

            throw;
        }
    }

    /// <summary>Gives up the fd to the caller, who then owns it and the socket file (nothing is removed on <see cref="Dispose"/>).</summary>
    public int Release()
    {
        int fd = Fd;
        Fd = -1;
        return fd;
    }

    /// <summary>Closes the socket and, in the process that bound it, removes its file (file paths only).</summary>
    /// <exception cref="PosixException">The socket file exists but cannot be removed.</exception>
    public void Dispose()
    {
        if (Fd < 0)
        {
            return;
        }

        Descriptors.Close(Fd);
        Fd = -1;
        if (!UnixSocketAddress.IsAbstract(Path) && ProcessCalls.GetPid() == _owner)
        {
            RemoveSocketFile(Path);
        }
    }

    private static void RemoveStaleSocket(string path)
    {
        // A socket left by an earlier run blocks bind. Only a socket is removed: anything else there is a
        // configuration mistake, and deleting it could lose data.
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

                throw new PosixException($"lstat unix socket path '{path}'", errno);
            }

            if ((status.st_mode & S_IFMT) != S_IFSOCK)
            {
                throw new PosixException($"binding unix socket '{path}' (something other than a socket is there)", EADDRINUSE);
            }

            PosixException.ThrowIfFailed(unlink(pathPointer), $"unlink stale unix socket '{path}'");
        }
    }

    private static void RemoveSocketFile(string path)
    {
        fixed (byte* pathPointer = NativePath(path))
        {
            if (unlink(pathPointer) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();

                // Someone (an operator, a test) removed it already: the goal is met.
                if (errno != ENOENT)
                {
                    throw new PosixException($"unlink unix socket '{path}'", errno);
                }
            }
        }
    }

    private static byte[] NativePath(string path) => Encoding.UTF8.GetBytes(path + "\0");
}
