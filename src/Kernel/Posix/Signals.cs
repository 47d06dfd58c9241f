namespace ForkServer.Kernel.Posix;

/// <summary>
/// The signal numbers the kernel sends and handles, in the generic Linux numbering (x86_64 and arm64).
/// </summary>
/// <remarks>
/// <c>src/Kernel/Posix</c> is the kernel's one native boundary: code outside it calls libc only through the checked
/// wrappers here, never reads errno, and names signals, error numbers and flags by this folder's constants
/// (<see cref="Signals"/>, <see cref="Errno"/>, <see cref="InotifyMask"/>, <see cref="EventLoop.Readable"/>...),
/// never by <c>Tmds.Linux.LibC</c>'s. Inside this folder Tmds.LibC is used freely.
/// </remarks>
internal static class Signals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGUSR2 = 12;
    public const int SIGPIPE = 13;
    public const int SIGTERM = 15;
    public const int SIGCHLD = 17;
}
