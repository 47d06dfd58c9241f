namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>What a process's open descriptors point at (/proc/&lt;pid&gt;/fd and fdinfo), fds 0–2 left out.</summary>
internal sealed class Descriptors
{
    private readonly List<string> _targets = new();

    private Descriptors(int pid)
    {
        foreach (string fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            if (int.Parse(Path.GetFileName(fd)) <= 2)
            {
                continue; // stdin, stdout, stderr: shared with the Emperor on purpose (one log)
            }

            string? target = new FileInfo(fd).LinkTarget;
            if (target is null)
            {
                continue;
            }

            _targets.Add(target);
            if (target == "anon_inode:[pidfd]")
            {
                string info = File.ReadAllText($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}");
                var line = info.Split('\n').First(l => l.StartsWith("Pid:", StringComparison.Ordinal));
                PidfdTargets.Add(int.Parse(line[4..].Trim()));
            }
        }
    }

    /// <summary>Socket inodes, as <c>socket:[N]</c>.</summary>
    public IReadOnlyList<string> Sockets => _targets.Where(t => t.StartsWith("socket:", StringComparison.Ordinal)).ToList();

    /// <summary>The processes its pidfds refer to.</summary>
    public List<int> PidfdTargets { get; } = new();

    public static Descriptors Of(int pid) => new(pid);

    public int Count(string target) => _targets.Count(t => t == target);
}
