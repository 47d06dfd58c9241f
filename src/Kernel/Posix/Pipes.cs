using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>pipe2(O_CLOEXEC): the one-way channels of a fork hand-off and of a worker's ready report.</summary>
internal static unsafe class Pipes
{
    /// <param name="purpose">What the pipe is for, as the error message says it ("a worker's ready report").</param>
    /// <returns>The read and write ends, both close-on-exec; the caller owns them.</returns>
    /// <exception cref="PosixException">pipe2 failed (out of descriptors).</exception>
    public static (int Read, int Write) Create(string purpose)
    {
        int* fds = stackalloc int[2];
        PosixException.ThrowIfFailed(pipe2(fds, O_CLOEXEC), $"pipe2 for {purpose}");
        return (fds[0], fds[1]);
    }
}
