using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Forking;

/// <summary>
/// The one way the kernel forks a live .NET process (docs/internals/fork-recipe.md). The process must have been started with
/// the fork recipe's runtimeconfig (W^X, concurrent GC, server GC and tiered compilation off) and must not have
/// started any thread of its own: <see cref="ThreadCensus"/> checks that before every fork.
/// </summary>
internal static unsafe class ProcessForker
{
    /// <summary>Exit code of a forked child whose main threw (EX_SOFTWARE from sysexits.h).</summary>
    public const int UnhandledExceptionExitCode = 70;

    /// <summary>Upper bound on every wait of a fork hand-off (finalizer pick-up, parking, grandchild report).</summary>
    public static readonly TimeSpan HandOffTimeout = TimeSpan.FromSeconds(10);

    private const string ChildMainThreadName = "forked-main";

    /// <summary>What glibc gives a thread by default (RLIMIT_STACK); mapped lazily, only touched pages count.</summary>
    private const nuint ChildMainStackSize = 8 * 1024 * 1024;

    // Taken in the forking process, so that no child builds the reverse P/Invoke stub of its own.
    private static readonly delegate* unmanaged<nint, nint> s_childMainEntry = &RunChildMain;

    // The thread allowed to fork: 0 means the thread that entered Main (its tid is the pid); in a forked child
    // it is the thread that runs the child's main, since the child's tid-equals-pid thread is its finalizer.
    private static int s_mainThreadId;

    /// <summary>
    /// Forks; the child runs <paramref name="childMain"/> on a fresh foreground thread and ends with _exit of its
    /// result (never the .NET shutdown path: flush what you wrote). Returns the child's pid, in the parent only.
    /// </summary>
    /// <exception cref="ForkRefusedException">The process has threads a child would lose.</exception>
    public static int Fork(Func<int> childMain) => ForkOnFinalizerThread(childMain, detach: false, grandchildReport: null);

    /// <summary>
    /// Double fork: the intermediate child only forks again and exits, so the grandchild, which runs
    /// <paramref name="grandchildMain"/>, is re-parented to the nearest subreaper (or init). Reaps the
    /// intermediate and returns the grandchild's pid.
    /// </summary>
    public static int ForkDetached(Func<int> grandchildMain)
    {
        using var report = ForkPipe.Create("the grandchild pid of a detached fork");
        int intermediatePid = ForkOnFinalizerThread(grandchildMain, detach: true, report);

        // Only the intermediate may hold the write end now, so its death without a report reads as end-of-file.
        report.CloseWriteEnd();
        int? grandchildPid = report.WaitReadable(HandOffTimeout) ? report.ReadInt32() : null;

        var intermediateExit = ProcessCalls.WaitForExit(intermediatePid, HandOffTimeout);
        if (intermediateExit is null)
        {
            ProcessCalls.KillAndReap(intermediatePid, HandOffTimeout);
            throw new TimeoutException($"The intermediate child {intermediatePid} of a detached fork did not exit within {HandOffTimeout.TotalSeconds:0} s (killed)");
        }

        return grandchildPid switch
        {
            null => throw new TimeoutException($"The intermediate child {intermediatePid} ({intermediateExit}) reported no grandchild pid within {HandOffTimeout.TotalSeconds:0} s"),
            < 0 => throw new PosixException($"fork of the grandchild in intermediate child {intermediatePid}", -grandchildPid.Value),
            _ => grandchildPid.Value,
        };
    }

    /// <summary>
    /// Double fork that does not wait for the second fork: returns the intermediate child's pid as soon as it
    /// exists. The intermediate forks the grandchild, which runs <paramref name="grandchildMain"/> and is
    /// re-parented to the nearest subreaper, and exits 0, or 1 (with the error on fd 2) if that fork failed. The
    /// caller must reap the intermediate, and kill it if it has not exited within <see cref="HandOffTimeout"/>
    /// (<see cref="IntermediateReaper"/> does both from an event loop). The intermediate writes the grandchild's pid
    /// (or -errno) to <paramref name="grandchildReport"/> if one is given, for the caller to read when it needs it.
    /// </summary>
    /// <remarks>
    /// For a fork server, whose callers learn the grandchild's pid from the grandchild itself: waiting here for the
    /// second fork and for the intermediate's exit (its address space torn down) cost it several milliseconds
    /// per adoption, during which every other adoption queued.
    /// </remarks>
    public static int ForkDetachedUnwaited(Func<int> grandchildMain, ForkPipe? grandchildReport = null)
        => ForkOnFinalizerThread(grandchildMain, detach: true, grandchildReport);

    /// <summary>In the child, on its finalizer thread: runs the child's main on a new thread.</summary>
    /// <remarks>
    /// That thread's stack must never be reused, by this child or by any process it forks: the child's main is the
    /// thread that parks when the child forks in turn, so the runtime of every descendant still lists it, and its
    /// GC walks that thread's frames (the parked P/Invoke's frame and those below it) on every collection. A thread
    /// from <see cref="Thread"/> gets its stack from glibc, which after a fork hands the stacks of the threads the
    /// child did not inherit to the next threads it creates: a grandchild's main thread was placed on its parent's
    /// main-thread stack, overwrote those frames, and under load a collection read garbage as a frame and the
    /// runtime failed fast (SIGABRT, after the runtime's 2 s wait for a synchronization-manager thread that forked
    /// children do not have). <see cref="OwnedStackThread"/> gives the thread a stack glibc never reuses.
    /// </remarks>
    internal static void StartChildMain(Func<int> childMain)
    {
        var state = GCHandle.Alloc(childMain);
        try
        {
            OwnedStackThread.Start(ChildMainStackSize, s_childMainEntry, GCHandle.ToIntPtr(state));
        }
        catch
        {
            state.Free();
            throw;
        }
    }

    [UnmanagedCallersOnly]
    private static nint RunChildMain(nint stateAddress)
    {
        var state = GCHandle.FromIntPtr(stateAddress);
        var childMain = (Func<int>)state.Target!;
        state.Free();

        int code;
        try
        {
            Thread.CurrentThread.Name = ChildMainThreadName;
            s_mainThreadId = ProcessCalls.GetThreadId();
            code = childMain();
        }
        catch (Exception exception)
        {
            ReportChildCrash(exception);
            code = UnhandledExceptionExitCode;
        }

        ProcessCalls.ExitImmediately(code);
        return 0;
    }

    /// <summary>Last words of a dying child, straight to fd 2: Console may not be usable in a forked child.</summary>
    internal static void ReportChildCrash(Exception exception)
    {
        byte[] text = Encoding.UTF8.GetBytes($"forkserver: forked child {ProcessCalls.GetPid()} failed: {exception}\n");
        _ = DescriptorIo.TryWriteAll(StandardStreams.ErrorFd, text, out _);
    }

    private static int ForkOnFinalizerThread(Func<int> childMain, bool detach, ForkPipe? grandchildReport)
    {
        int callerThreadId = ProcessCalls.GetThreadId();
        int mainThreadId = s_mainThreadId != 0 ? s_mainThreadId : ProcessCalls.GetPid();
        if (callerThreadId != mainThreadId)
        {
            throw new InvalidOperationException(
                $"Fork must be called on the process's main thread (tid {mainThreadId}), not on tid {callerThreadId}");
        }

        ThreadCensus.ThrowIfUnsafeToFork(callerThreadId);

        using var handOff = new ForkHandOff(callerThreadId);

        // No signal handler may run on the parked thread: it would interrupt the read() we fork under.
        ulong previousMask = ControlledSignals.BlockInCurrentThread();
        try
        {
            ForkRequest.Submit(handOff, childMain, detach, grandchildReport);

            // A gen-0 collection is enough to find the fresh request dead and queue its finalizer, and far
            // cheaper than a full one in a base process holding a large preloaded heap.
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);

            if (!handOff.Started.WaitReadable(HandOffTimeout) && handOff.TryAbandon())
            {
                throw new TimeoutException(
                    $"The finalizer thread did not pick up the fork within {HandOffTimeout.TotalSeconds:0} s (is a finalizer blocking it?)");
            }

            // Park. Unbounded on its own, but the finalizer has claimed the fork and always answers: its own
            // waits are bounded and its last act is this write, in both parent and failure paths.
            int childPid = handOff.Park.ReadInt32();
            if (childPid == 0)
            {
                ExceptionDispatchInfo.Throw(handOff.Failure ?? new InvalidOperationException("The fork failed without a reason"));
            }

            return childPid;
        }
        finally
        {
            ControlledSignals.RestoreCurrentThread(previousMask);
        }
    }
}
