namespace ForkServer.Kernel.Forking;

/// <summary>
/// What the main thread and the finalizer thread share for one fork: who owns the fork (so a main thread that
/// gave up waiting can never be forked under), the pipes they talk over, and the outcome.
/// </summary>
internal sealed class ForkHandOff : IDisposable
{
    private const int Pending = 0;
    private const int Claimed = 1;
    private const int Abandoned = 2;

    private int _state = Pending;

    public ForkHandOff(int mainThreadId)
    {
        MainThreadId = mainThreadId;
        Started = ForkPipe.Create("the finalizer thread's start signal");
        try
        {
            Park = ForkPipe.Create("parking the main thread");
        }
        catch
        {
            Started.Dispose();
            throw;
        }
    }

    /// <summary>The tid of the thread that asked for the fork and parks while it happens.</summary>
    public int MainThreadId { get; }

    /// <summary>Finalizer to main: "I own this fork now". Separate from <see cref="Park"/> so that nothing is
    /// ever pending on the pipe the main thread parks on until the fork is over.</summary>
    public ForkPipe Started { get; }

    /// <summary>The main thread blocks in read() on it; the finalizer writes the child's pid (0 on failure).</summary>
    public ForkPipe Park { get; }

    /// <summary>Why the fork failed, set by the finalizer thread before it writes 0 to <see cref="Park"/>.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Finalizer side: take the fork unless the main thread has already given up.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Pending) == Pending;

    /// <summary>Main side: give up unless the finalizer has already claimed the fork (then it will answer).</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Pending) == Pending;

    public void Dispose()
    {
        Started.Dispose();
        Park.Dispose();
    }
}
