using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Calls on files named by a path.</summary>
internal static unsafe class Files
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>stat(2) of <paramref name="path"/>, following symlinks.</summary>
    /// <param name="path">The path.</param>
    /// <param name="status">What is there, when the call succeeded.</param>
    /// <param name="errno">The error when it failed (ENOENT, ENOTDIR, EACCES...).</param>
    /// <returns>False when it failed.</returns>
    public static bool TryStat(string path, out FileStatus status, out int errno) => StatPath(path, followLink: true, out status, out errno);

    /// <summary>lstat(2) of <paramref name="path"/>: the entry itself, a symlink not followed.</summary>
    /// <inheritdoc cref="TryStat(string, out FileStatus, out int)"/>
    public static bool TryLinkStat(string path, out FileStatus status, out int errno) => StatPath(path, followLink: false, out status, out errno);

    /// <summary>
    /// Opens an existing file for writing (no O_CREAT, no O_TRUNC), writes <paramref name="bytes"/> and closes it:
    /// for the small files of /proc a process writes about itself.
    /// </summary>
    /// <param name="path">The path, NUL-terminated.</param>
    /// <param name="bytes">What to write.</param>
    /// <returns>False when the file cannot be opened or written.</returns>
    public static bool TryWriteExisting(ReadOnlySpan<byte> path, ReadOnlySpan<byte> bytes)
    {
        int fd;
        fixed (byte* nativePath = path)
        {
            fd = SystemCalls.Open(nativePath, O_WRONLY | O_CLOEXEC);
        }

        if (fd < 0)
        {
            return false;
        }

        bool written = DescriptorIo.TryWriteAll(fd, bytes, out _);
        Descriptors.Close(fd);
        return written;
    }

    /// <summary>
    /// Opens a file for reading, reads at most <paramref name="buffer"/>'s length and closes it: for the small files of
    /// /proc a process reads about another (<c>/proc/PID/statm</c>).
    /// </summary>
    /// <param name="path">The path, NUL-terminated.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <returns>The number of bytes read, or -1 when the file cannot be opened or read (the process is gone).</returns>
    public static int TryReadSmall(ReadOnlySpan<byte> path, Span<byte> buffer)
    {
        int fd;
        fixed (byte* nativePath = path)
        {
            fd = SystemCalls.Open(nativePath, O_RDONLY | O_CLOEXEC);
        }

        if (fd < 0)
        {
            return -1;
        }

        try
        {
            return DescriptorIo.Read(fd, buffer, "read a /proc file");
        }
        catch (PosixException)
        {
            return -1;
        }
        finally
        {
            Descriptors.Close(fd);
        }
    }

    private static bool StatPath(string path, bool followLink, out FileStatus status, out int errno)
    {
        var nativePath = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, nativePath);
        stat st;
        int result;
        fixed (byte* p = nativePath)
        {
            result = followLink ? stat(p, &st) : lstat(p, &st);
        }

        if (result < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            status = default;
            return false;
        }

        errno = 0;
        status = new FileStatus(
            S_ISREG(st.st_mode),
            S_ISLNK(st.st_mode),
            (long)st.st_mtim.tv_sec * NanosecondsPerSecond + (long)st.st_mtim.tv_nsec,
            st.st_uid,
            st.st_gid,
            (ulong)st.st_nlink,
            (ulong)st.st_dev,
            (ulong)st.st_ino);
        return true;
    }
}
