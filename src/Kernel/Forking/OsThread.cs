namespace ForkServer.Kernel.Forking;

/// <summary>One thread of this process as the kernel lists it in /proc/self/task: its tid and 15-byte name.</summary>
internal readonly record struct OsThread(int Id, string Name)
{
    public override string ToString() => $"{Id} \"{Name}\"";
}
