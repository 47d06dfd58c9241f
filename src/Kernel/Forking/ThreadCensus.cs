using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Forking;

/// <summary>Reads this process's threads from /proc/self/task and decides whether forking is safe.</summary>
internal static class ThreadCensus
{
    /// <summary>
    /// The runtime threads a .NET process started with the fork recipe's runtimeconfig has at Main, and why
    /// forking with them alive is safe:
    /// ".NET Finalizer" performs the fork itself (<see cref="ProcessForker"/>), so it is the child's one thread
    /// and keeps running finalizers there.
    /// ".NET SynchManag" (the PAL synchronization manager, name cut to 15 bytes) sleeps in its own wait and serves
    /// only PAL cross-process wait objects, which managed code on Linux does not use; children run without it. The
    /// one place a child misses it is the runtime's own fail-fast, which waits 2 s for it before it aborts
    /// (docs/internals/fork-recipe.md).
    /// Anything else (thread pool, timers, socket engine, console signal thread, user threads) is refused.
    /// </summary>
    private static readonly string[] ForkSafeRuntimeThreads = [".NET Finalizer", ".NET SynchManag"];

    private const string TaskDirectory = "/proc/self/task";

    /// <summary>
    /// In a forked child, the tid of its finalizer thread (the thread that forked it, now also its leader, which
    /// a process title may have renamed); 0 in a process that was not forked.
    /// </summary>
    public static int FinalizerThreadId { get; set; }

    /// <summary>Every thread of this process, by tid.</summary>
    public static IReadOnlyList<OsThread> List()
    {
        var threads = new List<OsThread>();
        foreach (string directory in Directory.EnumerateDirectories(TaskDirectory))
        {
            try
            {
                threads.Add(new OsThread(int.Parse(Path.GetFileName(directory)), File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n')));
            }
            catch (IOException)
            {
                // The thread exited between listing and reading: it is no longer a threat to the fork.
            }
        }

        threads.Sort((a, b) => a.Id.CompareTo(b.Id));
        return threads;
    }

    /// <summary>Throws <see cref="ForkRefusedException"/> naming every thread other than the caller and the allow-list.</summary>
    public static void ThrowIfUnsafeToFork(int callerThreadId)
    {
        var unexpected = List()
            .Where(t => t.Id != callerThreadId && t.Id != FinalizerThreadId && !ForkSafeRuntimeThreads.Contains(t.Name))
            .ToList();
        if (unexpected.Count > 0)
        {
            throw new ForkRefusedException(unexpected);
        }
    }

    /// <summary>
    /// Whether thread <paramref name="threadId"/> is inside a read() of <paramref name="fd"/> right now, per
    /// /proc/self/task/tid/syscall ("nr arg0 ..." with the number in decimal and the arguments in hex).
    /// </summary>
    public static bool IsBlockedInRead(int threadId, int fd)
    {
        string[] fields;
        try
        {
            fields = File.ReadAllText($"{TaskDirectory}/{threadId}/syscall").Split(' ', 3);
        }
        catch (IOException)
        {
            return false;
        }

        return fields.Length >= 2 && fields[0] == ReadSyscallNumber && fields[1] == $"0x{fd:x}";
    }

    private static string ReadSyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "0",
        Architecture.Arm64 => "63",
        var other => throw new PlatformNotSupportedException($"Forking is implemented for x64 and arm64, not {other}"),
    };
}
