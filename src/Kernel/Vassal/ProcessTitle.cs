using System.Text;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Names the process as <c>ps</c> and <c>top</c> show it: the command name (<c>/proc/self/comm</c>, 15 bytes, what
/// <c>top</c> and <c>ps -e</c> list) and the command line (<c>/proc/self/cmdline</c>, what <c>ps aux</c> lists). A
/// forked process's leader thread is the runtime thread that called fork (".NET Finalizer"), and its command line
/// the base's, so without this every adopted process would be listed under those.
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

    /// <summary>Shows an adopted vassal's own arguments (<c>forkserver --ini one.ini</c>) as its command line, not the base's.</summary>
    public static void SetArguments(IReadOnlyList<string> argv) => _ = ProcessCommandLine.Set(ArgumentsText(argv), keepOriginal: false);

    /// <summary>
    /// The arguments joined by spaces. A loop, not string.Join: its generic overload, which an IReadOnlyList picks,
    /// would be compiled in every adopted process (the base's warm-up runs this method).
    /// </summary>
    public static string ArgumentsText(IReadOnlyList<string> argv)
    {
        var text = new StringBuilder();
        for (int i = 0; i < argv.Count; i++)
        {
            text.Append(i == 0 ? "" : " ").Append(argv[i]);
        }

        return text.ToString();
    }

    /// <summary>Gives the process the name a <c>procname</c> option chose (<see cref="ProcessNames"/>), if any: command line and command name.</summary>
    public static void SetChosen(string? name)
    {
        if (name is null)
        {
            return;
        }

        // Cosmetic only, as above.
        _ = ProcessCommandLine.Set(name, keepOriginal: true);
        Set(name);
    }
}
