namespace ForkServer.Kernel.Posix;

/// <summary>
/// File descriptors were lost in transit: the peer sent more than the receiver's control buffer holds, so the
/// kernel dropped some (MSG_CTRUNC). The ones that did arrive have been closed.
/// </summary>
internal sealed class FdPassingException : Exception
{
    public FdPassingException(string message)
        : base(message)
    {
    }
}
