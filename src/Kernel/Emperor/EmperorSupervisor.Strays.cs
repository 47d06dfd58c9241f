using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    /// <summary>
    /// Reaps the children that are not vassals. As a child subreaper (fork-server mode) the Emperor inherits every
    /// orphan below it: the workers of an adopted master killed with SIGKILL (they stop on their parent-death
    /// signal), the middle child of a base that died during a double fork. Vassals are reaped through their pidfds;
    /// these would stay zombies for the Emperor's lifetime. Each is reaped by its own pid, never waitpid(-1),
    /// found by its parent pid in /proc (a zombie that is ours and not a watched vassal).
    /// </summary>
    private void ReapStrays()
    {
        if (_settings.ForkServer is null)
        {
            return; // not a subreaper: only vassals are our children
        }

        int self = ProcessCalls.GetPid();
        var watched = _vassals.Values.Where(v => v.Process is not null).Select(v => v.Process!.Pid).Concat(_retiring.Select(r => r.Process.Pid)).ToHashSet();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry.AsSpan()), out int pid) || watched.Contains(pid) || !IsZombieChild(entry, self))
            {
                continue;
            }

            try
            {
                if (ProcessCalls.TryReap(pid, out var status))
                {
                    Log.OrphanReaped(_log, pid, status);
                }
            }
            catch (PosixException e)
            {
                // ECHILD: reaped meanwhile, or not ours after all.
                Log.OrphanNotReaped(_log, pid, e.Message);
            }
        }
    }

    private static bool IsZombieChild(string procEntry, int self)
    {
        try
        {
            // "pid (comm) S ppid ...": the command name may hold spaces and parentheses, so parse from the last ')'.
            string stat = File.ReadAllText(procEntry + "/stat");
            int close = stat.LastIndexOf(')');
            if (close < 0 || close + 4 >= stat.Length || stat[close + 2] != 'Z')
            {
                return false;
            }

            int parentStart = close + 4;
            int parentEnd = stat.IndexOf(' ', parentStart);
            return parentEnd > parentStart && int.TryParse(stat.AsSpan(parentStart, parentEnd - parentStart), out int parent) && parent == self;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone while being read
        }
    }
}
