namespace ForkServer.Kernel.Forking;

/// <summary>
/// Thrown instead of forking a process that has threads the child would lose: fork() copies only the calling
/// thread, so whatever locks the others hold stay held forever in the child (docs/internals/fork-recipe.md).
/// </summary>
internal sealed class ForkRefusedException : Exception
{
    public ForkRefusedException(IReadOnlyList<OsThread> unexpectedThreads)
        : base(
            $"Refusing to fork: this process has {unexpectedThreads.Count} thread(s) that a forked child would lose "
            + $"with their locks held: {string.Join(", ", unexpectedThreads)}. A process that forks may only have its main "
            + "thread and the runtime's finalizer and synchronization-manager threads: do not start threads, use the "
            + "thread pool (Task.Run, timers, Task.Delay, async I/O), Console or System.Diagnostics.Process before forking."
            + (unexpectedThreads.Any(t => t.Name.StartsWith(".NET Debug", StringComparison.Ordinal) || t.Name.StartsWith(".NET EventPipe", StringComparison.Ordinal))
                ? " The .NET diagnostics threads are running: start the process with DOTNET_EnableDiagnostics=0 in its environment (runtimeconfig cannot turn them off)."
                : string.Empty))
    {
        UnexpectedThreads = unexpectedThreads;
    }

    public IReadOnlyList<OsThread> UnexpectedThreads { get; }
}
