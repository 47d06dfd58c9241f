using System.Text;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Names the process as <c>ps</c> and <c>top</c> show it. A forked process's leader thread is the runtime
/// thread that called fork (".NET Finalizer"), so without this every worker would be listed under that name.
/// </summary>
internal static class ProcessTitle
{
    private const int MaxChars = 15;

    /// <summary>Sets the command name (at most 15 bytes are kept by the kernel).</summary>
    public static void Set(string name)
    {
        // open and write, not File.WriteAllText: the file machinery that runs for the first time in a forked
        // process (fstatfs, flock, ftruncate, a pwrite the file refuses) cost every adopted vassal and every
        // worker about a millisecond on its way to serving.
        byte[] text = Encoding.UTF8.GetBytes(name.Length > MaxChars ? name[..MaxChars] : name);

        // Cosmetic only: a process without a title still works.
        _ = Files.TryWriteExisting("/proc/self/comm\0"u8, text);
    }
}
