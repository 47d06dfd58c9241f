using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Checked wrappers for the per-process calls a fork server makes (ids, signals, prctl, reaping).</summary>
internal static unsafe class ProcessCalls
{
    // The kernel keeps 16 bytes of a thread name, the terminating NUL included.
    private const int MaxThreadNameBytes = 15;

    /// <summary>getpid(). Not Environment.ProcessId: the runtime caches that, so a forked child would see the parent's.</summary>
    public static int GetPid() => getpid();

    public static int GetParentPid() => getppid();

    /// <summary>getuid(): the real uid this process runs as.</summary>
    public static uint GetUid() => getuid();

    /// <summary>getgid(): the real gid this process runs as.</summary>
    public static uint GetGid() => getgid();

    /// <summary>gettid(): the calling thread's kernel id (the pid, for the thread that started the process).</summary>
    public static int GetThreadId() => SystemCalls.GetThreadId();

    /// <summary>
    /// fork() itself, for <see cref="Forking.ForkRequest"/> alone: everything else forks through
    /// <see cref="Forking.ProcessForker"/>, which runs the fork recipe around this.
    /// </summary>
    /// <param name="errno">The error when it failed.</param>
    /// <returns>The child's pid in the parent, 0 in the child, -1 on failure.</returns>
    public static int Fork(out int errno)
    {
        int pid = SystemCalls.Fork();
        errno = pid < 0 ? Marshal.GetLastPInvokeError() : 0;
        return pid;
    }

    /// <summary>
    /// Registers <paramref name="handler"/> to run in the child of every later fork() of this process (pthread_atfork),
    /// whoever calls fork: libperl's fork, system() and pipe opens included. It runs in the child's only thread before
    /// fork() returns there, so it must not allocate, throw or block.
    /// </summary>
    public static void RunInEveryForkedChild(delegate* unmanaged<void> handler)
    {
        int error = SystemCalls.RegisterAtFork(null, null, handler, null);
        if (error != 0)
        {
            throw new PosixException("pthread_atfork", error);
        }
    }

    /// <summary>Sends <paramref name="signal"/>; false when the process no longer exists (ESRCH).</summary>
    public static bool Kill(int pid, int signal)
    {
        // kill(0) and kill(-n) signal whole process groups, and a base or vassal shares the Emperor's.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (SystemCalls.Kill(pid, signal) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == ESRCH ? false : throw new PosixException($"kill({pid}, {SignalNames.Of(signal)})", errno);
    }

    /// <summary>Asks the kernel to send <paramref name="signal"/> to this process when its parent thread dies.</summary>
    public static void SetParentDeathSignal(int signal)
        => PosixException.ThrowIfFailed(
            SystemCalls.Prctl(SystemCalls.PR_SET_PDEATHSIG, (nuint)signal, 0, 0, 0),
            $"prctl(PR_SET_PDEATHSIG, {SignalNames.Of(signal)})");

    /// <summary>Makes orphaned descendants (double-forked processes) re-parent to this process instead of init.</summary>
    public static void SetChildSubreaper()
        => PosixException.ThrowIfFailed(SystemCalls.Prctl(SystemCalls.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)");

    /// <summary>Names the calling thread (PR_SET_NAME; what ps and /proc/*/comm show), cut to 15 UTF-8 bytes.</summary>
    public static void SetThreadName(string name)
    {
        byte* buffer = stackalloc byte[MaxThreadNameBytes + 1];
        var bytes = new Span<byte>(buffer, MaxThreadNameBytes + 1);
        bytes.Clear();
        Encoding.UTF8.GetBytes(name.AsSpan(0, Math.Min(name.Length, MaxThreadNameBytes)), bytes[..MaxThreadNameBytes]);
        PosixException.ThrowIfFailed(SystemCalls.Prctl(SystemCalls.PR_SET_NAME, (nuint)buffer, 0, 0, 0), $"prctl(PR_SET_NAME, \"{name}\")");
    }

    /// <summary>_exit(): ends the process now, without the .NET shutdown path (whose threads a forked child lacks).</summary>
    [DoesNotReturn]
    public static void ExitImmediately(int code)
    {
        SystemCalls.Exit(code);
        throw new UnreachableException("_exit returned");
    }

    /// <summary>Reaps <paramref name="pid"/> if it has exited (waitpid(pid, WNOHANG); never waitpid(-1)).</summary>
    public static bool TryReap(int pid, out ExitStatus status)
    {
        int raw;
        int result;
        while ((result = SystemCalls.WaitPid(pid, &raw, SystemCalls.WNOHANG)) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw new PosixException($"waitpid({pid}, WNOHANG)", errno);
            }
        }

        status = result == pid ? ExitStatus.FromWaitStatus(raw) : default;
        return result == pid;
    }

    /// <summary>
    /// SIGKILL to the child <paramref name="pid"/>, then waits up to <paramref name="timeout"/> to reap it: for a child
    /// given up on, so that it holds nothing of ours and leaves no zombie.
    /// </summary>
    public static void KillAndReap(int pid, TimeSpan timeout)
    {
        Kill(pid, SIGKILL);
        WaitForExit(pid, timeout);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the child <paramref name="pid"/> to exit and reaps it; null on timeout.</summary>
    public static ExitStatus? WaitForExit(int pid, TimeSpan timeout)
    {
        using var handle = ProcessHandle.Open(pid);
        return handle.WaitForExit(timeout);
    }
}
