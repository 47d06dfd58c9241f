namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// One reading of /proc, for the checks after a fault: which processes belong to a test's run (their working
/// directory is inside its scratch folder: the Emperor's, and the vassal folder that every vassal, adopted vassal
/// and worker runs in), which of them are zombies, and which live outside the Emperor's tree (orphans).
/// </summary>
internal sealed class RunCensus
{
    private readonly Dictionary<int, (int Parent, char State, string? Cwd)> _processes = new();

    private RunCensus(string scratch)
    {
        Scratch = scratch;
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText($"{entry}/stat");
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                string? cwd = null;
                try
                {
                    cwd = new DirectoryInfo($"{entry}/cwd").LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A zombie has no cwd; a process that just exited has nothing at all.
                }

                _processes[pid] = (int.Parse(fields[1]), fields[0][0], cwd);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited while being read.
            }
        }
    }

    public string Scratch { get; }

    public static RunCensus Take(string scratch) => new(scratch);

    /// <summary>Live processes of the run: their working directory is in the scratch folder.</summary>
    public IReadOnlyList<int> RunProcesses
        => _processes.Where(p => p.Value.State != 'Z' && p.Value.Cwd is { } cwd && IsInside(cwd)).Select(p => p.Key).Order().ToList();

    /// <summary>Every process below <paramref name="root"/>, by parent links.</summary>
    public IReadOnlySet<int> TreeOf(int root)
    {
        var tree = new HashSet<int>();
        var children = _processes.ToLookup(p => p.Value.Parent, p => p.Key);
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            foreach (int child in children[queue.Dequeue()])
            {
                if (tree.Add(child))
                {
                    queue.Enqueue(child);
                }
            }
        }

        return tree;
    }

    /// <summary>Zombies below <paramref name="root"/>: exited, not reaped by their parent.</summary>
    public IReadOnlyList<int> ZombiesUnder(int root) => TreeOf(root).Where(p => _processes[p].State == 'Z').Order().ToList();

    /// <summary>Processes of the run that are neither <paramref name="emperor"/> nor below it.</summary>
    public IReadOnlyList<int> OrphansOf(int emperor)
    {
        var tree = TreeOf(emperor);
        return RunProcesses.Where(p => p != emperor && !tree.Contains(p)).ToList();
    }

    public string Describe(IEnumerable<int> pids)
        => string.Join(", ", pids.Select(p => $"{p} ({Comm(p)}, parent {(_processes.TryGetValue(p, out var info) ? info.Parent : -1)})"));

    /// <summary>
    /// Waits (bounded) until the Emperor's tree holds no zombie and no process of the run lives outside it: a
    /// zombie or an orphan may exist for an instant after a kill, so only one that stays is a failure.
    /// </summary>
    public static void AssertTidy(string scratch, int emperor, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var census = Take(scratch);
            var zombies = census.ZombiesUnder(emperor);
            var orphans = census.OrphansOf(emperor);
            if (zombies.Count == 0 && orphans.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"after {bound.TotalSeconds} s: zombies [{census.Describe(zombies)}], orphans [{census.Describe(orphans)}]");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>Waits (bounded) until no process of the run is alive; returns how long that took.</summary>
    public static TimeSpan AssertAllGone(string scratch, TimeSpan bound)
    {
        var start = DateTime.UtcNow;
        while (true)
        {
            var census = Take(scratch);
            if (census.RunProcesses.Count == 0)
            {
                return DateTime.UtcNow - start;
            }

            if (DateTime.UtcNow - start > bound)
            {
                Assert.Fail($"still running {bound.TotalSeconds} s after the Emperor died: {census.Describe(census.RunProcesses)}");
            }

            Thread.Sleep(100);
        }
    }

    private bool IsInside(string path)
        => path == Scratch || path.StartsWith(Scratch + "/", StringComparison.Ordinal);

    private static string Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "gone";
        }
    }
}
