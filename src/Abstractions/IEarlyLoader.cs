namespace ForkServer.Abstractions;

/// <summary>
/// Loads an application into the process that will fork, so that every forked process shares it
/// copy-on-write and starts without loading it again.
/// </summary>
/// <remarks>
/// A loader runs on the kernel's main thread while the process is still single-threaded, and must leave it
/// fork-safe: it must not start threads, timers or the thread pool, must not touch <c>Console</c> or
/// <c>PosixSignalRegistration</c>, and must not leave buffered output behind. The kernel checks
/// <c>/proc/self/task</c> before every fork and refuses to fork when a loader broke this rule.
/// </remarks>
public interface IEarlyLoader
{
    /// <summary>
    /// Loads the application the options name for <paramref name="context"/>'s phase.
    /// </summary>
    /// <param name="context">The phase, the validated options and logging.</param>
    /// <returns>The loaded application, or <c>null</c> when the options name no application for this phase.</returns>
    /// <exception cref="ApplicationLoadException">The application exists but failed to load (syntax error, die, missing file).</exception>
    IPreloadedApplication? Load(LoadContext context);
}
