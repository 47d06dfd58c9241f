using ForkServer.Abstractions;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// The process names the <c>procname</c> options give, as uWSGI composes them: prefix, name, suffix. Any of these
/// options turns on <c>auto-procname</c>, so a process without a name of its own gets the automatic one
/// (<c>forkserver master</c>, <c>forkserver worker N</c>); without any, null: the process keeps its command line.
/// </summary>
internal static class ProcessNames
{
    private static readonly string[] Options = ["procname", "procname-master", "procname-prefix", "procname-prefix-spaced", "procname-append"];

    /// <summary>The master's name: <c>procname-master</c>, else <c>procname</c>, else the automatic one.</summary>
    public static string? Master(IOptionValues options)
        => Compose(options, options.GetValue("procname-master") ?? options.GetValue("procname"), "forkserver master");

    /// <summary>Worker <paramref name="slot"/>'s name: <c>procname</c>, else the automatic one.</summary>
    public static string? Worker(IOptionValues options, int slot)
        => Compose(options, options.GetValue("procname"), "forkserver worker " + slot);

    private static string? Compose(IOptionValues options, string? name, string automatic)
    {
        if (name is null && !IsAutomatic(options))
        {
            return null;
        }

        // procname-prefix-spaced is procname-prefix followed by a space; when both are given, the spaced one wins.
        string prefix = options.GetValue("procname-prefix-spaced") is { } spaced ? spaced + " " : options.GetValue("procname-prefix") ?? "";
        return prefix + (name ?? automatic) + options.GetValue("procname-append");
    }

    private static bool IsAutomatic(IOptionValues options)
    {
        if (options.GetFlag("auto-procname"))
        {
            return true;
        }

        foreach (string option in Options)
        {
            if (options.Contains(option))
            {
                return true;
            }
        }

        return false;
    }
}
