using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Calls on files named by a path.</summary>
internal static unsafe class Files
{
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
}
