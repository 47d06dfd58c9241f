using System.Text;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Standard output and standard error as descriptors: where every process of a vassal logs.</summary>
internal static unsafe class StandardStreams
{
    public const int OutputFd = 1;
    public const int ErrorFd = 2;

    /// <summary>Points standard output and standard error at <paramref name="path"/>, opened for appending (created 0644).</summary>
    /// <exception cref="PosixException">The file cannot be opened, or dup2 failed.</exception>
    public static void RedirectTo(string path) => Redirect(path, [OutputFd, ErrorFd]);

    /// <summary>Points each of <paramref name="targets"/> at <paramref name="path"/>, opened for appending (created 0644).</summary>
    /// <exception cref="PosixException">The file cannot be opened, or dup2 failed.</exception>
    public static void Redirect(string path, ReadOnlySpan<int> targets)
    {
        int fd;
        fixed (byte* name = Encoding.UTF8.GetBytes(path + "\0"))
        {
            fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0x1a4 /* 0644 */);
        }

        PosixException.ThrowIfFailed(fd, $"open log file {path}");
        try
        {
            foreach (int target in targets)
            {
                PosixException.ThrowIfFailed(dup2(fd, target), $"dup2 log file onto fd {target}");
            }
        }
        finally
        {
            Descriptors.Close(fd);
        }
    }
}
