using System.Runtime.InteropServices;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>The few libc calls the interpreter set-up needs.</summary>
internal static unsafe partial class LibC
{
    public const int RtldNow = 0x2;
    public const int RtldGlobal = 0x100;
    public const int PrSetName = 15;
    public const int PrGetName = 16;
    public const int SigBlock = 0;
    public const int SigUnblock = 1;

    /// <summary>glibc's sigset_t is 1024 bits; the kernel reads the first 64 (bit n-1 for signal n).</summary>
    public const int SigSetWords = 16;

    /// <summary>
    /// The address of libc's <c>environ</c> variable (read it each time: setenv may move the array it points to, of
    /// NAME=value strings, null-terminated).
    /// </summary>
    public static nint EnvironAddress() => NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "environ");

    [LibraryImport("libc", EntryPoint = "setenv", SetLastError = true)]
    public static partial int SetEnv(byte* name, byte* value, int overwrite);

    [LibraryImport("libc", EntryPoint = "dlopen")]
    public static partial nint DlOpen(byte* file, int mode);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    public static partial byte* DlError();

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, byte* argument, nint unused3, nint unused4, nint unused5);

    /// <summary>Returns the error number instead of setting errno.</summary>
    [LibraryImport("libc", EntryPoint = "pthread_sigmask")]
    public static partial int PthreadSigMask(int how, ulong* set, ulong* oldSet);

    [LibraryImport("libc", EntryPoint = "_exit")]
    public static partial void Exit(int status);
}
