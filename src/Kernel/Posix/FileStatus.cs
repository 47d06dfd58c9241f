namespace ForkServer.Kernel.Posix;

/// <summary>What stat(2) or lstat(2) says about a path (<see cref="Files.TryStat"/>, <see cref="Files.TryLinkStat"/>).</summary>
internal readonly struct FileStatus(bool isRegularFile, bool isSymbolicLink, long modifiedNs, uint uid, uint gid, ulong linkCount, ulong device, ulong inode)
{
    public bool IsRegularFile { get; } = isRegularFile;

    /// <summary>Only ever true from lstat: stat follows the link.</summary>
    public bool IsSymbolicLink { get; } = isSymbolicLink;

    /// <summary>The modification time, in nanoseconds since the epoch.</summary>
    public long ModifiedNs { get; } = modifiedNs;

    public uint Uid { get; } = uid;

    public uint Gid { get; } = gid;

    /// <summary>Hard links to the inode.</summary>
    public ulong LinkCount { get; } = linkCount;

    /// <summary>The device and inode, which tell one file from another put at the same path.</summary>
    public ulong Device { get; } = device;

    /// <inheritdoc cref="Device"/>
    public ulong Inode { get; } = inode;
}
