using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Files without a name, which vanish with their last descriptor (request bodies spooled to disk).</summary>
internal static unsafe class TemporaryFiles
{
    /// <summary>
    /// Creates a read-write file in <paramref name="directory"/> that has no name: O_TMPFILE, or where the file system
    /// lacks it, mkostemp(3) and an immediate unlink. Close-on-exec, mode 0600.
    /// </summary>
    /// <param name="directory">Where the file's blocks live ($TMPDIR or /tmp).</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="PosixException">Neither way worked (no such directory, no permission, no space...).</exception>
    public static int CreateUnlinked(string directory)
    {
        byte[] path = NullTerminated(directory);
        int fd;
        fixed (byte* p = path)
        {
            while ((fd = SystemCalls.OpenCreating(p, O_TMPFILE | O_RDWR | O_CLOEXEC, 0x180)) < 0 && Marshal.GetLastPInvokeError() == EINTR)
            {
            }
        }

        if (fd >= 0)
        {
            return fd;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        {
            throw new PosixException($"open(O_TMPFILE) in {directory}", errno);
        }

        byte[] template = NullTerminated(Path.Combine(directory, "forkserver-body-XXXXXX"));
        fixed (byte* t = template)
        {
            fd = SystemCalls.MakeTemporary(t, O_CLOEXEC);
            if (fd < 0)
            {
                throw new PosixException($"mkostemp in {directory}", Marshal.GetLastPInvokeError());
            }

            _ = unlink(t);
        }

        return fd;
    }

    private static byte[] NullTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }
}
