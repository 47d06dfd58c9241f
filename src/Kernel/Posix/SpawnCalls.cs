using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// glibc's posix_spawn family, which Tmds.LibC 0.5.0 lacks. Every one of them returns an error number instead of
/// setting errno: callers pass each result to <see cref="ThrowOnError"/>.
/// </summary>
internal static unsafe partial class SpawnCalls
{
    private const string LibC = "libc";

    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>sizeof(posix_spawnattr_t) in glibc on every 64-bit Linux ABI (frozen by symbol versioning).</summary>
    public const int AttributesSize = 336;

    /// <summary>sizeof(posix_spawn_file_actions_t) in glibc on every 64-bit Linux ABI.</summary>
    public const int FileActionsSize = 80;

    /// <summary>A glibc sigset_t is 1024 bits; the kernel reads only the first 64.</summary>
    public const int SigSetWords = 16;

    [LibraryImport(LibC, EntryPoint = "posix_spawn")]
    public static partial int Spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(LibC, EntryPoint = "posix_spawnattr_init")]
    public static partial int AttributesInit(void* attributes);

    [LibraryImport(LibC, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttributesDestroy(void* attributes);

    [LibraryImport(LibC, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttributesSetFlags(void* attributes, short flags);

    [LibraryImport(LibC, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttributesSetSignalMask(void* attributes, ulong* mask);

    [LibraryImport(LibC, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttributesSetDefaultSignals(void* attributes, ulong* signals);

    [LibraryImport(LibC, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* fileActions);

    [LibraryImport(LibC, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* fileActions);

    [LibraryImport(LibC, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport(LibC, EntryPoint = "posix_spawn_file_actions_addclose")]
    public static partial int FileActionsAddClose(void* fileActions, int fd);

    [LibraryImport(LibC, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int FileActionsAddChdir(void* fileActions, byte* path);

    /// <summary>Throws a <see cref="PosixException"/> for a non-zero error number returned by one of these calls.</summary>
    public static void ThrowOnError(int error, string operation)
    {
        if (error != 0)
        {
            throw new PosixException(operation, error);
        }
    }
}
