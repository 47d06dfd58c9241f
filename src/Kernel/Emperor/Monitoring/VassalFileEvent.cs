namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>One change of one vassal file, as a <see cref="VassalMonitor"/> reports it.</summary>
/// <param name="Change">What happened.</param>
/// <param name="Name">
/// The instance name the Emperor keys the vassal by: the bare file name for a directory monitor, the absolute
/// path for a glob monitor.
/// </param>
/// <param name="Path">The absolute path of the file.</param>
/// <param name="ModifiedNs">Modification time in nanoseconds since the epoch (the last known one for Removed).</param>
/// <param name="OwnerUid">Owner uid (the last known one for Removed).</param>
/// <param name="OwnerGid">Owner gid (the last known one for Removed).</param>
/// <param name="Monitor">The monitor spec that found the file.</param>
internal sealed record VassalFileEvent(
    VassalFileChange Change,
    string Name,
    string Path,
    long ModifiedNs,
    uint OwnerUid,
    uint OwnerGid,
    string Monitor);
