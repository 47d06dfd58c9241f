namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>
/// What the monitor remembers of a known vassal file: enough to tell a change and to report it. A class, not a
/// struct: a sorted dictionary of a struct of ours is generic code that ReadyToRun cannot precompile, so the
/// Emperor JIT-compiled it, a method or more for each of the first files dropped.
/// </summary>
/// <param name="ModifiedNs">Modification time in nanoseconds since the epoch.</param>
/// <param name="OwnerUid">Owner uid.</param>
/// <param name="OwnerGid">Owner gid.</param>
internal sealed record VassalFileStatus(long ModifiedNs, uint OwnerUid, uint OwnerGid)
{
    /// <summary>The status of a path that could not be stat-ed (nothing is known of it).</summary>
    public static VassalFileStatus None { get; } = new(0, 0, 0);
}
