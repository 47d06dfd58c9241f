namespace ForkServer.Kernel.Posix;

/// <summary>
/// One decoded struct inotify_event. A class, not a struct: a list of a struct of ours is generic code that
/// ReadyToRun cannot precompile, so the Emperor JIT-compiled it on the first file dropped.
/// </summary>
/// <param name="Watch">The watch descriptor it belongs to (-1 for a queue overflow).</param>
/// <param name="Mask">The IN_* bits.</param>
/// <param name="Name">The entry's name inside the watched directory; null for events on the directory itself.</param>
internal sealed record InotifyEvent(int Watch, uint Mask, string? Name)
{
    /// <summary>Whether any of <paramref name="bits"/> is set.</summary>
    public bool Has(uint bits) => (Mask & bits) != 0;
}
