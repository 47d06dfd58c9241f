namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// The worker's signal mask while application code runs in it. The kernel blocks the signals it reads from a
/// signalfd (SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGCHLD) in every thread; a child inherits the mask,
/// and Perl's fork and system() set the caller's mask again in the child after fork, so every program the application
/// ran would ignore SIGTERM (<c>system("timeout 1 sleep 5")</c> took 5 s). So a worker unblocks them in its one
/// Perl thread while a request or the END blocks run (the glue's <c>$out_signals</c>), and its children start with the
/// mask empty.
/// </summary>
/// <remarks>
/// Meanwhile a signal is caught, not lost: the glue's handler (<c>_defer_signal</c>, installed by
/// <see cref="PerlInterpreter.EnterWorker"/>) notes it, and once the mask is back the glue raises it again, so the
/// kernel's signalfd reads it after the request, as it would have. SIGCHLD needs no handler: its default is to be
/// discarded, and the worker has no child of its own.
/// </remarks>
internal static unsafe class ApplicationSignals
{
    // SIGHUP 1, SIGINT 2, SIGQUIT 3, SIGUSR1 10, SIGUSR2 12, SIGTERM 15, SIGCHLD 17 (the glue's @deferred_signals, and SIGCHLD).
    private const ulong Deferrable = (1UL << 0) | (1UL << 1) | (1UL << 2) | (1UL << 9) | (1UL << 11) | (1UL << 14) | (1UL << 16);

    private static ulong s_blockedByWorker;

    /// <summary>Notes which of the deferrable signals the calling thread (the worker's) blocks.</summary>
    public static void CaptureWorkerMask()
    {
        ulong* current = stackalloc ulong[LibC.SigSetWords];
        new Span<ulong>(current, LibC.SigSetWords).Clear();
        s_blockedByWorker = LibC.PthreadSigMask(LibC.SigBlock, null, current) == 0 ? current[0] & Deferrable : 0;
    }

    /// <summary>Unblocks them for application code (a no-op outside a worker).</summary>
    public static void Unblock() => Change(LibC.SigUnblock);

    /// <summary>Blocks them again for the kernel's signalfd.</summary>
    public static void Block() => Change(LibC.SigBlock);

    private static void Change(int how)
    {
        if (s_blockedByWorker == 0)
        {
            return;
        }

        ulong* set = stackalloc ulong[LibC.SigSetWords];
        new Span<ulong>(set, LibC.SigSetWords).Clear();
        set[0] = s_blockedByWorker;
        _ = LibC.PthreadSigMask(how, set, null);
    }
}
