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
/// <para>It lives in this assembly, with the plugin contract, because an application's hook and the plugin that
/// finds it must see one and the same type: this is the one assembly the kernel shares with every plugin and with
/// the application's load context. An application references only it (ForkServer.Abstractions, whose one dependency
/// is Microsoft.Extensions.Logging.Abstractions), never the kernel.</para>
/// </remarks>
public interface IPreloadHook
{
    /// <summary>Runs the preload work.</summary>
    /// <param name="services">The application's built (not started) service provider.</param>
    void Preload(IServiceProvider services);
}
