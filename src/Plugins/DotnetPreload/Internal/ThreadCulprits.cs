namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Says what started a thread, from its name as <c>/proc/self/task/*/comm</c> shows it (the runtime names its own
/// threads, cut to 15 bytes), so that a refusal to fork names the cause, not just a thread id.
/// </summary>
internal static class ThreadCulprits
{
    private static readonly (string Prefix, string Culprit)[] Known =
    [
        (".NET TP Worker", "the thread pool (Task.Run, ThreadPool.QueueUserWorkItem, Parallel, async I/O, or an await that did not complete at once)"),
        (".NET TP Gate", "the thread pool (its starvation gate thread)"),
        (".NET TP IO", "the thread pool (its I/O completion thread)"),
        (".NET Timer", "a timer (System.Threading.Timer, System.Timers.Timer, Task.Delay, PeriodicTimer, CancellationTokenSource.CancelAfter)"),
        (".NET Long Runni", "a long-running task (Task.Factory.StartNew with TaskCreationOptions.LongRunning)"),
        (".NET SigHandler", "Console or PosixSignalRegistration (the runtime's signal-handling thread)"),
        (".NET Sockets", "asynchronous sockets (the socket engine's event thread)"),
        ("Console logger ", "console logging (Microsoft.Extensions.Logging.Console's queue thread): do not create a logger factory with AddConsole before fork"),
        (".NET EventPipe", "the .NET diagnostics (start with DOTNET_EnableDiagnostics=0)"),
        (".NET Debugger", "the .NET diagnostics (start with DOTNET_EnableDiagnostics=0)"),
        (".NET Tiered Com", "tiered compilation (the runtimeconfig must set TieredCompilation=false)"),
    ];

    /// <summary>What most likely started a thread named <paramref name="name"/>.</summary>
    /// <param name="name">The thread's comm.</param>
    /// <param name="processName">The process's own comm, which unnamed threads inherit.</param>
    public static string Describe(string name, string processName)
    {
        foreach (var (prefix, culprit) in Known)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return culprit;
            }
        }

        return name == processName
            ? "an unnamed thread the application started (new Thread(...).Start(); give it a Name to see it here)"
            : $"a thread the application started (named '{name}')";
    }
}
