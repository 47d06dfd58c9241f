using ForkServer.Kernel.Posix;

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
internal readonly record struct FileProbe(FileKind Kind, VassalFileStatus Status, ulong LinkCount, ulong Device, ulong Inode, int Errno)
{
    /// <summary>stat(2)s <paramref name="path"/>, following symlinks, as the Emperor does.</summary>
    public static FileProbe Of(string path)
    {
        if (!Files.TryStat(path, out var st, out int errno))
        {
            var kind = errno == Posix.Errno.ENOENT || errno == Posix.Errno.ENOTDIR ? FileKind.Missing : FileKind.Inaccessible;
            return new FileProbe(kind, VassalFileStatus.None, 0, 0, 0, errno);
        }

        var status = new VassalFileStatus(st.ModifiedNs, st.Uid, st.Gid);
        return new FileProbe(st.IsRegularFile ? FileKind.Regular : FileKind.Other, status, st.LinkCount, st.Device, st.Inode, 0);
    }

    /// <summary>Whether <paramref name="path"/> itself is a symlink (lstat(2)); false when it cannot be told.</summary>
    /// <remarks>A failure (the entry vanished meanwhile) answers "no": the caller then waits for a later event.</remarks>
    public static bool IsSymbolicLink(string path) => Files.TryLinkStat(path, out var st, out _) && st.IsSymbolicLink;
}
