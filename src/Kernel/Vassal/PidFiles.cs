using ForkServer.Abstractions;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// The master's pidfiles, as uWSGI writes them: <c>pidfile</c> before the privilege drop (so it may sit where only root
/// writes), <c>pidfile2</c> after (as the vassal's user), each holding the pid and a newline; with <c>vacuum</c> they
/// are removed when the master exits. This is the one place <c>vacuum</c> acts on pidfiles.
/// </summary>
internal sealed class PidFiles(IOptionValues options)
{
    private readonly List<string> _written = [];

    /// <summary>Writes the file <paramref name="option"/> (<c>pidfile</c> or <c>pidfile2</c>) names, if it names one.</summary>
    /// <exception cref="StartupException">The file cannot be written; the message names the option's source.</exception>
    public void Write(string option)
    {
        if (options.GetValue(option) is not { } path)
        {
            return;
        }

        try
        {
            // A classic vassal re-executed for a reload keeps its pid, and so its files: as uWSGI, it does not write
            // them again (pidfile could not be, after the privilege drop).
            if (!HoldsThisPid(path))
            {
                File.WriteAllText(path, Contents());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{options.DescribeSource(option)}: cannot write {option} {path}: {e.Message}", e);
        }

        _written.Add(path);
    }

    /// <summary>
    /// With <c>vacuum</c>, removes the files written, each only if it still holds this pid: an adopted vassal that
    /// exits for a reload must not remove the file its successor has already written.
    /// </summary>
    public void Vacuum()
    {
        if (!options.GetFlag("vacuum"))
        {
            return;
        }

        foreach (string path in _written)
        {
            try
            {
                if (HoldsThisPid(path))
                {
                    File.Delete(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or no longer ours to remove: nothing to clean.
            }
        }

        _written.Clear();
    }

    private static bool HoldsThisPid(string path) => File.Exists(path) && File.ReadAllText(path) == Contents();

    private static string Contents() => ProcessCalls.GetPid() + "\n";
}
