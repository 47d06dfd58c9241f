using System.Globalization;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// Memory use and children of a process, read from <c>/proc</c> for the stats document. A process can exit
/// between listing and reading, so a vanished or unreadable process gives zeros and no children, never an
/// exception.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Resident and proportional set sizes of <paramref name="pid"/> in bytes, from <c>smaps_rollup</c>.</summary>
    public static (long RssBytes, long PssBytes) Read(int pid)
    {
        string? rollup = TryReadProcFile($"/proc/{pid}/smaps_rollup");
        if (rollup is null)
        {
            return (0, 0);
        }

        long rss = 0, pss = 0;
        foreach (var line in rollup.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("Rss:"))
            {
                rss = KilobytesToBytes(line["Rss:".Length..]);
            }
            else if (line.StartsWith("Pss:"))
            {
                pss = KilobytesToBytes(line["Pss:".Length..]);
            }
        }

        return (rss, pss);
    }

    /// <summary>
    /// The children of <paramref name="pid"/>, ascending. Each thread keeps its own children list (a child belongs
    /// to the thread that forked it), so every task is read, not only the main thread.
    /// </summary>
    public static IReadOnlyList<int> ChildPids(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var children = new SortedSet<int>();
        foreach (string task in tasks)
        {
            string list = TryReadProcFile(Path.Combine(task, "children")) ?? string.Empty;
            foreach (var range in list.AsSpan().Split(' '))
            {
                if (int.TryParse(list.AsSpan(range), NumberStyles.None, CultureInfo.InvariantCulture, out int child))
                {
                    children.Add(child);
                }
            }
        }

        return [.. children];
    }

    private static string? TryReadProcFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone (ENOENT, ESRCH mid-read) or not ours to read (ptrace access mode): nothing to show.
            return null;
        }
    }

    private static long KilobytesToBytes(ReadOnlySpan<char> field)
    {
        // "      1234 kB": the kernel always reports these in kB.
        var trimmed = field.Trim();
        int space = trimmed.IndexOf(' ');
        var number = space < 0 ? trimmed : trimmed[..space];
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long kilobytes) ? kilobytes * 1024 : 0;
    }
}
