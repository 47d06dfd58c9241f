using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>Memory mapping and POSIX thread creation, for <see cref="OwnedStackThread"/> and <see cref="SharedPage"/>.</summary>
internal static unsafe partial class SystemCalls
{
    public const int PROT_NONE = 0;
    public const int PROT_READ = 1;
    public const int PROT_WRITE = 2;
    public const int MAP_SHARED = 0x01;
    public const int MAP_PRIVATE = 0x02;
    public const int MAP_ANONYMOUS = 0x20;
    public const int MAP_NORESERVE = 0x4000;
    public const int MAP_STACK = 0x20000;
    public const int PTHREAD_CREATE_DETACHED = 1;

    /// <summary>sizeof(pthread_attr_t): 56 bytes on x86_64 glibc, 64 on arm64; this is the larger.</summary>
    public const int ThreadAttributesSize = 64;

    /// <summary>MAP_FAILED is (void*)-1.</summary>
    public static readonly nint MapFailed = -1;

    [LibraryImport(LibC, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint MapMemory(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport(LibC, EntryPoint = "munmap", SetLastError = true)]
    public static partial int UnmapMemory(nint address, nuint length);

    [LibraryImport(LibC, EntryPoint = "mprotect", SetLastError = true)]
    public static partial int ProtectMemory(nint address, nuint length, int protection);

    /// <summary>Returns the error number instead of setting errno (as do the other pthread calls).</summary>
    [LibraryImport(LibC, EntryPoint = "pthread_attr_init")]
    public static partial int ThreadAttributesInit(byte* attributes);

    [LibraryImport(LibC, EntryPoint = "pthread_attr_destroy")]
    public static partial int ThreadAttributesDestroy(byte* attributes);

    [LibraryImport(LibC, EntryPoint = "pthread_attr_setstack")]
    public static partial int ThreadAttributesSetStack(byte* attributes, nint stackAddress, nuint stackSize);

    [LibraryImport(LibC, EntryPoint = "pthread_attr_setdetachstate")]
    public static partial int ThreadAttributesSetDetachState(byte* attributes, int state);

    [LibraryImport(LibC, EntryPoint = "pthread_create")]
    public static partial int ThreadCreate(nuint* thread, byte* attributes, delegate* unmanaged<nint, nint> start, nint argument);
}
