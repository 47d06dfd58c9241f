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
    /// Called once in every process forked to serve (a worker, or an adopted vassal's master), on its main thread,
    /// before anything of the application runs there: reseed random generators, reset process ids and per-process
    /// state.
    /// </summary>
    /// <remarks>
    /// The order of calls in each kind of forked process:
    /// <list type="bullet">
    /// <item>A worker its master forks: <see cref="AfterFork"/> (Worker), then <see cref="CreateRequestHandler"/>
    /// or <see cref="ISelfHostedApplication.StartServing"/>.</item>
    /// <item>An adopted vassal's master: it was forked from the fork-server base ahead of time and idled, running no
    /// application code; once adopted it answers the Emperor, then <see cref="AfterFork"/> (AdoptedMaster), then
    /// <see cref="PrepareForFork"/> before each worker it forks.</item>
    /// <item>An adopted vassal's first worker (the base's spare worker): <see cref="ISelfHostedApplication.PrepareToServe"/>
    /// while it idles, still as the base's user and before its vassal is known; once adopted it binds, drops
    /// privileges, then <see cref="AfterFork"/> (Worker, worker 1), then <see cref="CreateRequestHandler"/> or
    /// <see cref="ISelfHostedApplication.StartServing"/>.</item>
    /// </list>
    /// </remarks>
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
