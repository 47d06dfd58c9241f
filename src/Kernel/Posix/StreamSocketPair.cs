using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): the channel a process keeps with one it forks or spawns (the
/// Emperor's control channel, a spare vassal's, a spare worker's). Close-on-exec, so an end reaches an executed
/// program only when it is handed over on purpose.
/// </summary>
internal static unsafe class StreamSocketPair
{
    /// <param name="purpose">What the pair is for, as the error message says it ("a spare worker").</param>
    /// <exception cref="PosixException">socketpair failed (out of descriptors).</exception>
    public static (int First, int Second) Create(string purpose)
    {
        int* ends = stackalloc int[2];
        PosixException.ThrowIfFailed(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), $"socketpair(AF_UNIX, SOCK_STREAM) for {purpose}");
        return (ends[0], ends[1]);
    }
}
