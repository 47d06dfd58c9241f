namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>What the monitor remembers of a known vassal file: enough to tell a change and to report it.</summary>
/// <param name="ModifiedNs">Modification time in nanoseconds since the epoch.</param>
/// <param name="OwnerUid">Owner uid.</param>
/// <param name="OwnerGid">Owner gid.</param>
internal readonly record struct VassalFileStatus(long ModifiedNs, uint OwnerUid, uint OwnerGid);
