namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>What happened to a vassal file, as the Emperor acts on it: spawn, reload (byte 1) or stop (byte 0).</summary>
internal enum VassalFileChange
{
    /// <summary>A vassal file appeared (or was present when monitoring began).</summary>
    Added,

    /// <summary>A known vassal file's modification time changed.</summary>
    Modified,

    /// <summary>A known vassal file is gone, or is no longer a regular file.</summary>
    Removed,
}
