using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// The signals a ForkServer process takes through a signalfd instead of handlers: SIGHUP, SIGINT, SIGQUIT,
/// SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2. They must be blocked in every thread, or the kernel delivers them to
/// a thread that has them unblocked and the runtime's own handlers (which .NET installs for SIGINT, SIGQUIT
/// and SIGTERM and routes through a pipe that forked children share with their parent) act on them.
/// </summary>
internal static unsafe class ControlledSignals
{
    // A glibc sigset_t is 1024 bits; the kernel reads only the first 64.
    private const int SigSetWords = 16;

    public static IReadOnlyList<int> Members { get; } = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2];

    /// <summary>The set as the kernel's 64-bit mask (bit n-1 for signal n), as in /proc/*/status SigBlk.</summary>
    public static ulong Mask { get; } = Members.Aggregate(0UL, (mask, signal) => mask | (1UL << (signal - 1)));

    /// <summary>A CLOEXEC|NONBLOCK signalfd for the set. The set must already be blocked, or signals bypass it.</summary>
    public static SignalFd CreateSignalFd()
    {
        ulong* set = stackalloc ulong[SigSetWords];
        FillSet(set);
        int fd = PosixException.ThrowIfFailed(SystemCalls.SignalFd(-1, set, SystemCalls.SFD_CLOEXEC | SystemCalls.SFD_NONBLOCK), "signalfd for the controlled signals");
        return new SignalFd(fd);
    }

    /// <summary>Blocks the set in the calling thread; returns the thread's previous 64-bit mask.</summary>
    public static ulong BlockInCurrentThread()
    {
        ulong* set = stackalloc ulong[SigSetWords];
        ulong* old = stackalloc ulong[SigSetWords];
        FillSet(set);
        CheckMaskResult(SystemCalls.PthreadSigMask(SIG_BLOCK, set, old), "pthread_sigmask(SIG_BLOCK) for the controlled signals");
        return old[0];
    }

    /// <summary>Restores a mask returned by <see cref="BlockInCurrentThread"/>.</summary>
    public static void RestoreCurrentThread(ulong previousMask)
    {
        ulong* set = stackalloc ulong[SigSetWords];
        new Span<ulong>(set, SigSetWords).Clear();
        set[0] = previousMask;
        CheckMaskResult(SystemCalls.PthreadSigMask(SIG_SETMASK, set, null), "pthread_sigmask(SIG_SETMASK) to restore a thread's mask");
    }

    /// <summary>
    /// For the child of a fork made by application code: the controlled signals and SIGPIPE (which the runtime
    /// ignores) get their default dispositions back, and nothing stays blocked, so the child and whatever it executes
    /// start as any program does. Unchecked, allocation-free: it runs inside fork() (<see cref="ProcessCalls.RunInEveryForkedChild"/>).
    /// </summary>
    public static void RestoreDefaultsInForkedChild()
    {
        SystemCalls.SignalAction defaultAction = default; // SIG_DFL, empty mask, no flags
        for (int i = 0; i < Members.Count; i++)
        {
            _ = SystemCalls.SigAction(Members[i], &defaultAction, null);
        }

        _ = SystemCalls.SigAction(Signals.SIGPIPE, &defaultAction, null);
        ulong* empty = stackalloc ulong[SigSetWords];
        new Span<ulong>(empty, SigSetWords).Clear();
        _ = SystemCalls.PthreadSigMask(SIG_SETMASK, empty, null);
    }

    /// <summary>True when the calling thread blocks every controlled signal.</summary>
    public static bool AreBlockedInCurrentThread() => (CurrentThreadMask() & Mask) == Mask;

    private static ulong CurrentThreadMask()
    {
        ulong* old = stackalloc ulong[SigSetWords];
        CheckMaskResult(SystemCalls.PthreadSigMask(SIG_BLOCK, null, old), "pthread_sigmask to read the signal mask");
        return old[0];
    }

    private static void FillSet(ulong* set)
    {
        new Span<ulong>(set, SigSetWords).Clear();
        set[0] = Mask;
    }

    private static void CheckMaskResult(int error, string operation)
    {
        if (error != 0)
        {
            throw new PosixException(operation, error);
        }
    }
}
