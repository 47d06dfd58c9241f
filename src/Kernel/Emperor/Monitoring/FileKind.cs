namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>What a <see cref="FileProbe"/> found at a path (symlinks followed).</summary>
internal enum FileKind
{
    /// <summary>Nothing there (or a dangling symlink).</summary>
    Missing,

    /// <summary>A regular file: a vassal file if its name qualifies.</summary>
    Regular,

    /// <summary>A directory, fifo, socket or device: never a vassal file.</summary>
    Other,

    /// <summary>stat failed for another reason (usually EACCES); the errno says which.</summary>
    Inaccessible,
}
