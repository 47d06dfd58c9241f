namespace ForkServer.Kernel.Posix;

/// <summary>What one non-blocking send or receive did (<see cref="SocketIo"/>). EINTR is retried, so it never shows.</summary>
internal enum IoOutcome
{
    /// <summary>Bytes moved (their count is reported alongside).</summary>
    Transferred,

    /// <summary>Nothing can move now (EAGAIN): wait until the socket is ready.</summary>
    WouldBlock,

    /// <summary>The peer closed its end: a receive got no bytes.</summary>
    EndOfStream,

    /// <summary>Any other error (ECONNRESET, EPIPE...); its errno is reported alongside.</summary>
    Failed,
}
