namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Names the process as <c>ps</c> and <c>top</c> show it. A forked process's leader thread is the runtime
/// thread that called fork (".NET Finalizer"), so without this every worker would be listed under that name.
/// </summary>
internal static class ProcessTitle
{
    /// <summary>Sets the command name (at most 15 bytes are kept by the kernel).</summary>
    public static void Set(string name)
    {
        try
        {
            File.WriteAllText("/proc/self/comm", name.Length > 15 ? name[..15] : name);
        }
        catch (IOException)
        {
            // Cosmetic only: a process without a title still works.
        }
    }
}
