using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>
/// The result of one stat(2) of a path. The monitor decides everything from stat rather than from the inotify
/// event kind, because events arrive after the fact and the file may have changed again since.
/// </summary>
/// <param name="Kind">What is at the path.</param>
/// <param name="Status">Modification time and owner (meaningful for <see cref="FileKind.Regular"/>).</param>
/// <param name="LinkCount">Hard links to the inode.</param>
/// <param name="Device">Device of the inode, to recognise a directory replaced under the same path.</param>
/// <param name="Inode">Inode number, for the same reason.</param>
/// <param name="Errno">The errno of a failed stat (0 otherwise).</param>
internal readonly unsafe record struct FileProbe(FileKind Kind, VassalFileStatus Status, ulong LinkCount, ulong Device, ulong Inode, int Errno)
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>stat(2)s <paramref name="path"/>, following symlinks, as the Emperor does.</summary>
    public static FileProbe Of(string path)
    {
        byte[] native = NullTerminated(path);
        stat st;
        int result;
        fixed (byte* p = native)
        {
            result = stat(p, &st);
        }

        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            var kind = errno == ENOENT || errno == ENOTDIR ? FileKind.Missing : FileKind.Inaccessible;
            return new FileProbe(kind, VassalFileStatus.None, 0, 0, 0, errno);
        }

        var status = new VassalFileStatus(
            (long)st.st_mtim.tv_sec * NanosecondsPerSecond + (long)st.st_mtim.tv_nsec,
            st.st_uid,
            st.st_gid);
        return new FileProbe(S_ISREG(st.st_mode) ? FileKind.Regular : FileKind.Other, status, (ulong)st.st_nlink, (ulong)st.st_dev, (ulong)st.st_ino, 0);
    }

    /// <summary>Whether <paramref name="path"/> itself is a symlink (lstat(2)); false when it cannot be told.</summary>
    public static bool IsSymbolicLink(string path)
    {
        byte[] native = NullTerminated(path);
        stat st;
        fixed (byte* p = native)
        {
            // A failure (the entry vanished meanwhile) answers "no": the caller then waits for a later event.
            return lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
        }
    }

    private static byte[] NullTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }
}
