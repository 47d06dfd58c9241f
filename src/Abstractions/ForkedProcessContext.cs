namespace ForkServer.Abstractions;

/// <summary>Who a freshly forked process is.</summary>
/// <param name="Role">What it is about to become.</param>
/// <param name="ProcessId">Its own pid (read from the kernel, never cached from the parent).</param>
/// <param name="WorkerId">1-based worker number for a worker, 0 for a master.</param>
public sealed record ForkedProcessContext(ForkedProcessRole Role, int ProcessId, int WorkerId);
