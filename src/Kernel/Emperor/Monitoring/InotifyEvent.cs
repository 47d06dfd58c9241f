namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>One decoded struct inotify_event.</summary>
/// <param name="Watch">The watch descriptor it belongs to (-1 for a queue overflow).</param>
/// <param name="Mask">The IN_* bits.</param>
/// <param name="Name">The entry's name inside the watched directory; null for events on the directory itself.</param>
internal readonly record struct InotifyEvent(int Watch, uint Mask, string? Name)
{
    /// <summary>Whether any of <paramref name="bits"/> is set.</summary>
    public bool Has(uint bits) => (Mask & bits) != 0;
}
