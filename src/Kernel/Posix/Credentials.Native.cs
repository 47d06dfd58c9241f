using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// The calls of a privilege drop, declared here rather than taken from Tmds.LibC 0.5.0: its uid_t/gid_t wrappers
/// with errno capture need a marshalling stub that the runtime builds and JIT-compiles on first call, in every
/// process, and a fork-server base never drops privileges, so each adopted vassal compiled three of them on its
/// way to ready (~1.2 ms). These are compiled ahead of time.
/// </summary>
internal static unsafe partial class Credentials
{
    [LibraryImport("libc", EntryPoint = "getgroups", SetLastError = true)]
    private static partial int GetGroups(int count, uint* groups);

    [LibraryImport("libc", EntryPoint = "setgid", SetLastError = true)]
    private static partial int SetGid(uint gid);

    [LibraryImport("libc", EntryPoint = "setuid", SetLastError = true)]
    private static partial int SetUid(uint uid);
}
