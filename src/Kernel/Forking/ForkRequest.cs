using System.Diagnostics;
using System.Runtime.CompilerServices;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Forking;

/// <summary>
/// A garbage object whose finalizer performs a fork. Forking on the finalizer thread is what makes a forked
/// .NET child whole: fork() copies only the calling thread, and a child forked from the main thread has no
/// finalizer thread (finalizers never run, and a child that starts threads then collects aborts). Forked from
/// the finalizer thread, the child's one thread IS its finalizer thread, and the lost main thread was parked
/// in a blocking read() (preemptive mode, holding no runtime lock), so the child's GC can ignore it.
/// </summary>
internal sealed class ForkRequest
{
    private static readonly TimeSpan ParkTimeout = ProcessForker.HandOffTimeout;

    private readonly ForkHandOff _handOff;
    private readonly Func<int> _childMain;
    private readonly bool _detach;
    private readonly ForkPipe? _grandchildReport;

    private ForkRequest(ForkHandOff handOff, Func<int> childMain, bool detach, ForkPipe? grandchildReport)
    {
        _handOff = handOff;
        _childMain = childMain;
        _detach = detach;
        _grandchildReport = grandchildReport;
    }

    ~ForkRequest()
    {
        // The main thread timed out waiting for us and went on: forking now could catch it mid-flight.
        if (_handOff.TryClaim())
        {
            Execute();
        }
    }

    /// <summary>
    /// Allocates a request and drops it. Not inlined, so no reference survives in the caller's frame and the
    /// next gen-0 collection hands it to the finalizer thread. With <paramref name="detach"/>, the child forks once
    /// more at once and exits (a detached double fork), reporting the grandchild's pid to
    /// <paramref name="grandchildReport"/> if there is one, and in its exit code either way (0: forked).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Submit(ForkHandOff handOff, Func<int> childMain, bool detach, ForkPipe? grandchildReport)
        => _ = new ForkRequest(handOff, childMain, detach, grandchildReport);

    private void Execute()
    {
        int childPid = 0;
        try
        {
            _handOff.Started.WriteInt32(0);
            WaitUntilMainThreadParked();

            // The child inherits the forking thread's mask: it must start with the controlled signals blocked so
            // that they queue for its signalfd instead of reaching the runtime handlers it shares with us.
            ulong previousMask = ControlledSignals.BlockInCurrentThread();
            childPid = ProcessCalls.Fork(out int errno);
            if (childPid == 0)
            {
                BecomeChild();
                return; // back to the runtime: this thread goes on as the child's finalizer thread
            }

            ControlledSignals.RestoreCurrentThread(previousMask);
            if (childPid < 0)
            {
                childPid = 0;
                _handOff.Failure = new PosixException("fork", errno);
            }
        }
        catch (Exception exception)
        {
            childPid = 0;
            _handOff.Failure = exception;
        }

        // Never caught: a finalizer that cannot wake the main thread must crash the process rather than hang it.
        _handOff.Park.WriteInt32(childPid);
    }

    // Until the main thread sits in read() on the park pipe it may hold runtime locks or be in cooperative
    // mode; either would be copied into the child as a lock nobody releases. Nothing is written to that pipe
    // before the fork, so once seen there the main thread stays there.
    private void WaitUntilMainThreadParked()
    {
        var clock = Stopwatch.StartNew();
        while (!ThreadCensus.IsBlockedInRead(_handOff.MainThreadId, _handOff.Park.ReadFd))
        {
            if (clock.Elapsed > ParkTimeout)
            {
                throw new TimeoutException(
                    $"The main thread (tid {_handOff.MainThreadId}) did not park in read() within {ParkTimeout.TotalSeconds:0} s; not forking");
            }

            Thread.Yield();
        }
    }

    // Runs on the child's only thread. Must never return into the parent's code path above, so every failure
    // ends the child here.
    private void BecomeChild()
    {
        try
        {
            if (_detach)
            {
                int grandchildPid = ProcessCalls.Fork(out int errno);
                if (grandchildPid != 0)
                {
                    // The intermediate: report and vanish, so the grandchild is orphaned to the subreaper.
                    _grandchildReport?.WriteInt32(grandchildPid > 0 ? grandchildPid : -errno);
                    if (grandchildPid < 0 && _grandchildReport is null)
                    {
                        ProcessForker.ReportChildCrash(new PosixException("fork of the grandchild of a detached fork", errno));
                    }

                    ProcessCalls.ExitImmediately(grandchildPid > 0 ? 0 : 1);
                }

                _grandchildReport?.Dispose();
            }

            _handOff.Dispose();

            // This thread is the child's finalizer and its leader: a process title renames it, so from now on
            // the census knows it by tid, not by name.
            ThreadCensus.FinalizerThreadId = ProcessCalls.GetThreadId();
            ProcessForker.StartChildMain(_childMain);
        }
        catch (Exception exception)
        {
            ProcessForker.ReportChildCrash(exception);
            ProcessCalls.ExitImmediately(ProcessForker.UnhandledExceptionExitCode);
        }
    }
}
