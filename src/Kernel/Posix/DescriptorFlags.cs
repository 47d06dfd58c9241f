using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>A descriptor's own flags (fcntl F_GETFD/F_SETFD): whether it is open, and close-on-exec.</summary>
internal static class DescriptorFlags
{
    /// <summary>Whether <paramref name="fd"/> is an open descriptor of this process.</summary>
    public static bool IsOpen(int fd) => fd >= 0 && fcntl(fd, F_GETFD, 0) >= 0;

    /// <summary>Sets or clears close-on-exec: a cleared one survives an exec of this process.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="closeOnExec">Whether it is closed on exec.</param>
    /// <param name="what">The descriptor as the error message names it ("the Emperor link 5").</param>
    /// <exception cref="PosixException">fcntl failed (the descriptor is not open).</exception>
    public static void SetCloseOnExec(int fd, bool closeOnExec, string what)
        => PosixException.ThrowIfFailed(
            fcntl(fd, F_SETFD, closeOnExec ? FD_CLOEXEC : 0),
            closeOnExec ? $"fcntl(F_SETFD, FD_CLOEXEC) on {what}" : $"fcntl(F_SETFD, 0) on {what}");
}
