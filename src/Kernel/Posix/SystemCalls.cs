using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// The libc entry points Tmds.LibC 0.5.0 does not offer (or offers without errno capture). Raw and unchecked: only
/// this folder's checked wrappers call them (<see cref="ProcessCalls"/>, <see cref="ProcessHandle"/>,
/// <see cref="ControlledSignals"/>, <see cref="Credentials"/>, <see cref="Readiness"/>, <see cref="Files"/>...).
/// </summary>
internal static unsafe partial class SystemCalls
{
    private const string LibC = "libc";

    public const int WNOHANG = 1;
    public const int WEXITED = 4;
    public const int P_PIDFD = 3;
    public const int PR_SET_PDEATHSIG = 1;
    public const int PR_SET_NAME = 15;
    public const int PR_SET_CHILD_SUBREAPER = 36;
    public const int SFD_NONBLOCK = 0x800;
    public const int SFD_CLOEXEC = 0x80000;

    /// <summary>siginfo_t is 128 bytes on every Linux ABI; these are its x86_64/arm64 field offsets.</summary>
    public const int SigInfoSize = 128;
    public const int SigInfoCodeOffset = 8;
    public const int SigInfoPidOffset = 16;
    public const int SigInfoStatusOffset = 24;

    /// <summary>struct signalfd_siginfo is 128 bytes; ssi_signo is at 0 and ssi_pid at 12.</summary>
    public const int SignalFdSigInfoSize = 128;
    public const int SignalFdPidOffset = 12;

    [LibraryImport(LibC, EntryPoint = "fork", SetLastError = true)]
    public static partial int Fork();

    [LibraryImport(LibC, EntryPoint = "_exit")]
    public static partial void Exit(int status);

    [LibraryImport(LibC, EntryPoint = "gettid")]
    public static partial int GetThreadId();

    [LibraryImport(LibC, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(LibC, EntryPoint = "waitid", SetLastError = true)]
    public static partial int WaitId(int idType, int id, byte* sigInfo, int options);

    [LibraryImport(LibC, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(LibC, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(LibC, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long arg1, long arg2, long arg3, long arg4);

    [LibraryImport(LibC, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMs);

    [LibraryImport(LibC, EntryPoint = "signalfd", SetLastError = true)]
    public static partial int SignalFd(int fd, ulong* mask, int flags);

    /// <summary>Returns the error number instead of setting errno.</summary>
    [LibraryImport(LibC, EntryPoint = "pthread_sigmask")]
    public static partial int PthreadSigMask(int how, ulong* set, ulong* oldSet);

    [LibraryImport(LibC, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int SigAction(int signal, SignalAction* action, SignalAction* oldAction);

    /// <summary>
    /// pthread_atfork, which glibc links statically into each caller and exports only as an old compat symbol; this is
    /// what it calls. <paramref name="dsoHandle"/> (null here) only matters to code unloaded with dlclose. Returns the
    /// error number instead of setting errno.
    /// </summary>
    [LibraryImport(LibC, EntryPoint = "__register_atfork")]
    public static partial int RegisterAtFork(delegate* unmanaged<void> prepare, delegate* unmanaged<void> parent, delegate* unmanaged<void> child, void* dsoHandle);

    [LibraryImport(LibC, EntryPoint = "execve", SetLastError = true)]
    public static partial int Execve(byte* path, byte** argv, byte** envp);

    /// <summary>Returns the error number instead of setting errno.</summary>
    [LibraryImport(LibC, EntryPoint = "getpwnam_r")]
    public static partial int GetPasswdByName(byte* name, PasswdEntry* entry, byte* buffer, nuint length, PasswdEntry** result);

    /// <summary>Returns the error number instead of setting errno.</summary>
    [LibraryImport(LibC, EntryPoint = "getpwuid_r")]
    public static partial int GetPasswdById(uint uid, PasswdEntry* entry, byte* buffer, nuint length, PasswdEntry** result);

    /// <summary>Returns the error number instead of setting errno.</summary>
    [LibraryImport(LibC, EntryPoint = "getgrnam_r")]
    public static partial int GetGroupByName(byte* name, GroupEntry* entry, byte* buffer, nuint length, GroupEntry** result);

    /// <summary>Returns the error number instead of setting errno.</summary>
    [LibraryImport(LibC, EntryPoint = "getgrgid_r")]
    public static partial int GetGroupById(uint gid, GroupEntry* entry, byte* buffer, nuint length, GroupEntry** result);

    [LibraryImport(LibC, EntryPoint = "getenv")]
    public static partial byte* GetEnv(byte* name);

    [LibraryImport(LibC, EntryPoint = "unsetenv", SetLastError = true)]
    public static partial int UnsetEnv(byte* name);

    [LibraryImport(LibC, EntryPoint = "setenv", SetLastError = true)]
    public static partial int SetEnv(byte* name, byte* value, int overwrite);

    [LibraryImport(LibC, EntryPoint = "setgroups", SetLastError = true)]
    public static partial int SetGroups(nuint count, uint* groups);

    /// <summary>
    /// open(2) of an existing file (no O_CREAT, so no mode). Tmds.LibC's, with its mode_t wrapper, needs a
    /// marshalling stub compiled at run time in each process that calls it first.
    /// </summary>
    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags);

    /// <summary>open(2) with a mode, for O_CREAT and O_TMPFILE.</summary>
    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true)]
    public static partial int OpenCreating(byte* path, int flags, uint mode);

    /// <summary>mkostemp(3): creates and opens a file from a template ending in XXXXXX, which it fills in.</summary>
    [LibraryImport(LibC, EntryPoint = "mkostemp", SetLastError = true)]
    public static partial int MakeTemporary(byte* template, int flags);

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>glibc's struct sigaction (handler, 128-byte mask, flags, restorer).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SignalAction
    {
        public nint Handler;
        public fixed ulong Mask[16];
        public int Flags;
        public nint Restorer;
    }

    /// <summary>struct passwd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PasswdEntry
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Directory;
        public byte* Shell;
    }

    /// <summary>struct group.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GroupEntry
    {
        public byte* Name;
        public byte* Password;
        public uint Gid;
        public byte** Members;
    }
}
