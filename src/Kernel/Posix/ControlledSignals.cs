using System.Runtime.InteropServices;
using System.Text;
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
    // Present only in the environment of the re-executed image, to stop a re-exec loop if blocking ever failed.
    private const string RestartMarker = "FORKSERVER_CONTROLLED_SIGNALS_RESTART";
    private const string SelfExecutable = "/proc/self/exe";
    private const string DiagnosticsVariable = "DOTNET_EnableDiagnostics";

    // A glibc sigset_t is 1024 bits; the kernel reads only the first 64.
    private const int SigSetWords = 16;

    private static readonly nint IgnoreDisposition = 1; // SIG_IGN

    public static IReadOnlyList<int> Members { get; } = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2];

    /// <summary>The set as the kernel's 64-bit mask (bit n-1 for signal n), as in /proc/*/status SigBlk.</summary>
    public static ulong Mask { get; } = Members.Aggregate(0UL, (mask, signal) => mask | (1UL << (signal - 1)));

    /// <summary>
    /// Call first thing in Main. The runtime's threads already exist there and would keep the signals unblocked,
    /// but a mask blocked before execve is inherited by every thread of the new image, runtime threads included.
    /// So when the calling thread does not block the set, block it and re-execute this program with the same
    /// argv and environment; the call then returns in the new image. It also re-executes when SIGCHLD was
    /// inherited as ignored, because then the kernel reaps children on its own and no exit status survives, and
    /// when the .NET diagnostics threads would run: only <c>DOTNET_EnableDiagnostics=0</c> in the environment
    /// turns them off (runtimeconfig cannot), and the fork primitive refuses to fork while they exist.
    /// </summary>
    public static void EnsureBlockedInEveryThread()
    {
        bool restarted = IsRestartedImage();
        bool blocked = (CurrentThreadMask() & Mask) == Mask;
        bool childExitsIgnored = IsChildSignalIgnored();
        bool diagnosticsOff = Environment.GetEnvironmentVariable(DiagnosticsVariable) == "0";
        if (blocked && !childExitsIgnored && diagnosticsOff)
        {
            return;
        }

        if (restarted)
        {
            throw new InvalidOperationException(
                "The controlled signals are still unblocked (or SIGCHLD ignored, or diagnostics on) after restarting with them blocked; "
                + "something in start-up changes the signal mask or dispositions.");
        }

        if (childExitsIgnored)
        {
            SetChildSignalDefault();
        }

        BlockInCurrentThread();
        Restart();
    }

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

    private static bool IsChildSignalIgnored()
    {
        SystemCalls.SignalAction current;
        PosixException.ThrowIfFailed(SystemCalls.SigAction(SIGCHLD, null, &current), "sigaction to read the SIGCHLD disposition");
        return current.Handler == IgnoreDisposition;
    }

    private static void SetChildSignalDefault()
    {
        SystemCalls.SignalAction defaultAction = default; // SIG_DFL, empty mask, no flags
        PosixException.ThrowIfFailed(SystemCalls.SigAction(SIGCHLD, &defaultAction, null), "sigaction(SIGCHLD, SIG_DFL)");
    }

    // Read natively: the marker must never reach .NET's environment snapshot, which children would inherit.
    private static bool IsRestartedImage()
    {
        fixed (byte* name = Encoding.UTF8.GetBytes(RestartMarker + "\0"))
        {
            if (SystemCalls.GetEnv(name) == null)
            {
                return false;
            }

            PosixException.ThrowIfFailed(SystemCalls.UnsetEnv(name), $"unsetenv({RestartMarker})");
            return true;
        }
    }

    private static void Restart()
    {
        // /proc/self/cmdline is the argv this image was started with (dotnet host and dll included), NUL-terminated.
        var argv = SplitAtNul(File.ReadAllBytes("/proc/self/cmdline"));
        var environment = CurrentEnvironment();
        environment.RemoveAll(entry => entry.AsSpan().StartsWith(Encoding.UTF8.GetBytes(DiagnosticsVariable + "=")));
        environment.Add(Encoding.UTF8.GetBytes($"{DiagnosticsVariable}=0"));
        environment.Add(Encoding.UTF8.GetBytes($"{RestartMarker}=1"));

        // Exec the link's target, not /proc/self/exe itself: the kernel names the process after the path's last
        // component, and ps would otherwise show every ForkServer process as "exe".
        string executable = new FileInfo(SelfExecutable).LinkTarget ?? SelfExecutable;
        using var nativeArgv = new NativeStringArray(argv);
        using var nativeEnvironment = new NativeStringArray(environment);
        fixed (byte* path = Encoding.UTF8.GetBytes(executable + "\0"))
        {
            SystemCalls.Execve(path, nativeArgv.Pointer, nativeEnvironment.Pointer);
        }

        throw new PosixException($"execve({executable}) to restart with the controlled signals blocked", Marshal.GetLastPInvokeError());
    }

    private static List<byte[]> SplitAtNul(byte[] block)
    {
        var parts = new List<byte[]>();
        for (int start = 0; start < block.Length;)
        {
            int end = Array.IndexOf(block, (byte)0, start);
            end = end < 0 ? block.Length : end;
            parts.Add(block[start..end]);
            start = end + 1;
        }

        return parts;
    }

    // libc's environ as bytes, not Environment.GetEnvironmentVariables(): the native block is what the process
    // really has, and its entries need not be valid UTF-8.
    private static List<byte[]> CurrentEnvironment()
    {
        var entries = new List<byte[]>();
        byte** environ = *(byte***)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "environ");
        for (; *environ != null; environ++)
        {
            entries.Add(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(*environ).ToArray());
        }

        return entries;
    }
}
