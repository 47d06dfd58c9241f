namespace ForkProbe;

/// <summary>Fields of /proc/self/status and /proc/self/task/*/status.</summary>
internal static class ProcStatus
{
    public static string? Field(string statusPath, string name)
        => File.ReadLines(statusPath).FirstOrDefault(l => l.StartsWith(name + ":"))?[(name.Length + 1)..].Trim();

    public static ulong Mask(string statusPath, string name) => Convert.ToUInt64(Field(statusPath, name), 16);

    /// <summary>(tid, name, SigBlk) of every thread of this process.</summary>
    public static List<(int Tid, string Name, ulong Blocked)> ThreadMasks()
        => Directory.EnumerateDirectories("/proc/self/task")
            .Select(d => (int.Parse(Path.GetFileName(d)), File.ReadAllText(Path.Combine(d, "comm")).Trim(), Mask(Path.Combine(d, "status"), "SigBlk")))
            .ToList();
}
