namespace ForkServer.Kernel.Http.Internal;

/// <summary>
/// What the request bodies of one worker may hold in memory at once, shared by all its connections (each may be
/// receiving a body while another request is served), and the scratch buffer through which spooled bodies pass.
/// Single-threaded, like the worker's event loop.
/// </summary>
internal sealed class RequestBodyMemory(long budgetBytes, string spoolDirectory)
{
    // One write(2) per this many received bytes of a spooled body.
    private const int ScratchBytes = 64 * 1024;

    private byte[]? _scratch;

    /// <summary>Bytes of in-memory bodies currently reserved.</summary>
    public long Reserved { get; private set; }

    /// <summary>Where spooled bodies are created (unlinked at once).</summary>
    public string SpoolDirectory => spoolDirectory;

    /// <summary>The buffer a spooled body is received into before it is written; one body uses it at a time.</summary>
    public byte[] Scratch => _scratch ??= new byte[ScratchBytes];

    /// <summary>Reserves <paramref name="bytes"/> for a body held in memory.</summary>
    /// <returns>False when that would exceed the budget: the body goes to a file instead.</returns>
    public bool TryReserve(long bytes)
    {
        if (Reserved + bytes > budgetBytes)
        {
            return false;
        }

        Reserved += bytes;
        return true;
    }

    /// <summary>Gives back what <see cref="TryReserve"/> took.</summary>
    public void Release(long bytes) => Reserved -= bytes;
}
