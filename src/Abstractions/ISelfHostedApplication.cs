namespace ForkServer.Abstractions;

/// <summary>
/// Optional, on an <see cref="IPreloadedApplication"/>: the application brings its own HTTP server (a .NET app's
/// Kestrel) and serves the worker's listening socket itself, instead of through the kernel's HTTP loop and
/// <see cref="IPreloadedApplication.CreateRequestHandler"/>, which the kernel then never calls.
/// </summary>
/// <remarks>
/// The kernel still owns the process: it forks the worker, drops privileges first, reads the signals (a signalfd;
/// they are blocked in every thread, so the application never sees them) and reports to the Emperor. The server
/// may start threads: the kernel never forks a worker.
/// </remarks>
public interface ISelfHostedApplication
{
    /// <summary>
    /// Starts serving HTTP on <see cref="ServingContext.ListeningSocket"/> and returns once connections are
    /// accepted: the kernel reports the worker ready when this returns. Called once per worker, on its main thread.
    /// </summary>
    /// <param name="context">The worker's identity, its listening socket and what to tell the kernel.</param>
    /// <returns>The running server, which the kernel stops when the worker is asked to.</returns>
    /// <exception cref="ApplicationLoadException">The server could not start; the worker exits and is respawned.</exception>
    IApplicationServer StartServing(ServingContext context);

    /// <summary>
    /// Called at most once, before <see cref="StartServing"/>, in a process that will become a worker but does not
    /// know its socket yet: a fork-server base's spare worker, idle until its vassal is adopted. What is done here
    /// (loading and compiling the server's start-up path, starting its threads) is off the path from adoption to
    /// first response. It may start threads; it must leave nothing bound or listening. It runs before
    /// <see cref="IPreloadedApplication.AfterFork"/>, with the base's privileges (see there for the whole order).
    /// </summary>
    void PrepareToServe()
    {
    }
}
