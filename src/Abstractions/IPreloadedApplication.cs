namespace ForkServer.Abstractions;

/// <summary>An application loaded by an <see cref="IEarlyLoader"/>, living on in every forked process.</summary>
public interface IPreloadedApplication
{
    /// <summary>A short description for logs, such as <c>psgi app /srv/myapp.pl</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Called in the parent right before every fork: flush buffered output (so children do not print it
    /// again) and make sure no lock is held. Must be quick; it runs before each worker spawn.
    /// </summary>
    void PrepareForFork();

    /// <summary>
    /// Called first thing in every freshly forked process (a worker, or an adopted vassal's master), on the
    /// child's main thread: reseed random generators, reset process ids and per-process state.
    /// </summary>
    /// <param name="context">Who the new process is.</param>
    void AfterFork(ForkedProcessContext context);

    /// <summary>Creates the handler a worker uses for every request it serves. Called once per worker.</summary>
    /// <param name="context">The worker's identity, options and logging.</param>
    IRequestHandler CreateRequestHandler(WorkerContext context);

    /// <summary>
    /// Called once in a worker or master that is about to exit normally: run the application's exit hooks
    /// (Perl END blocks, .NET host shutdown). Never called on a brutal stop.
    /// </summary>
    void Shutdown();
}
