namespace ForkServer.Abstractions;

/// <summary>
/// Optional, in a preloaded .NET application (<c>plugins = dotnet</c>): work to do once in the base, after the
/// application's host is built and before anything is forked, so that every adopted vassal inherits the result
/// (fill caches, build indexes, resolve expensive singletons, exercise code so that it is compiled).
/// </summary>
/// <remarks>
/// The plugin creates every public, non-abstract class of the application's entry assembly that implements this
/// interface (public parameterless constructor) and calls <see cref="Preload"/> on the base's main thread. The
/// hook must leave the process single-threaded: no threads, timers, thread pool (<c>Task.Run</c>, async I/O),
/// <c>Console</c> or console logging. The base checks and refuses to serve, naming what was started.
/// </remarks>
public interface IPreloadHook
{
    /// <summary>Runs the preload work.</summary>
    /// <param name="services">The application's built (not started) service provider.</param>
    void Preload(IServiceProvider services);
}
