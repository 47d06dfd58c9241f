using System.Runtime.InteropServices;
using ForkServer.Abstractions;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Checks, right after the application was preloaded, that the process still has only the threads a fork keeps
/// whole (the caller, the finalizer, the PAL synchronization manager). The kernel checks again before every fork;
/// checking here, at load, turns a refused fork into a start-up error that names the application and the cause.
/// </summary>
internal static partial class ThreadAudit
{
    private static readonly string[] ForkSafeRuntimeThreads = [".NET Finalizer", ".NET SynchManag"];

    /// <summary>Throws when other threads run.</summary>
    /// <param name="application">The application, as the message should name it.</param>
    /// <param name="phase">What was running when they were started (for the message).</param>
    /// <exception cref="ApplicationLoadException">Threads were started; every one is named with its likely cause.</exception>
    public static void ThrowIfThreadsStarted(string application, string phase)
    {
        int caller = gettid();
        string processName = Comm($"/proc/self/comm") ?? "";
        var culprits = new List<string>();
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            int tid = int.Parse(Path.GetFileName(task));
            string? name = Comm(Path.Combine(task, "comm"));
            if (tid == caller || name is null || ForkSafeRuntimeThreads.Contains(name))
            {
                continue;
            }

            culprits.Add($"thread {tid} '{name}': {ThreadCulprits.Describe(name, processName)}");
        }

        if (culprits.Count > 0)
        {
            throw new ApplicationLoadException(
                $"refusing to fork: {application} started {culprits.Count} thread(s) during {phase}, which every forked "
                + $"process would lose with their locks held: {string.Join("; ", culprits)}. Start threads, timers, the "
                + "thread pool and console logging after fork (in the host's start: hosted services, middleware), not in "
                + "Main before app.Run() or in an IPreloadHook.");
        }
    }

    private static string? Comm(string path)
    {
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (IOException)
        {
            return null; // the thread ended meanwhile: no longer a threat to the fork
        }
    }

    [LibraryImport("libc")]
    private static partial int gettid();
}
