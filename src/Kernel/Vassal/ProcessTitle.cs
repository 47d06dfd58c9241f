using System.Text;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Names the process as <c>ps</c> and <c>top</c> show it. A forked process's leader thread is the runtime
/// thread that called fork (".NET Finalizer"), so without this every worker would be listed under that name.
/// </summary>
internal static unsafe class ProcessTitle
{
    private const int MaxChars = 15;

    /// <summary>Sets the command name (at most 15 bytes are kept by the kernel).</summary>
    public static void Set(string name)
    {
        // open and write, not File.WriteAllText: the file machinery that runs for the first time in a forked
        // process (fstatfs, flock, ftruncate, a pwrite the file refuses) cost every adopted vassal and every
        // worker about a millisecond on its way to serving.
        byte[] text = Encoding.UTF8.GetBytes(name.Length > MaxChars ? name[..MaxChars] : name);
        int fd;
        fixed (byte* path = "/proc/self/comm\0"u8)
        {
            fd = SystemCalls.Open(path, O_WRONLY | O_CLOEXEC);
        }

        if (fd < 0)
        {
            // Cosmetic only: a process without a title still works.
            return;
        }

        fixed (byte* start = text)
        {
            _ = write(fd, start, text.Length);
        }

        Descriptors.Close(fd);
    }
}
