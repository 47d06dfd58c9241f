namespace ForkServer.Kernel.Http.Internal;

/// <summary>Where a connection is in its request cycle.</summary>
internal enum ConnectionState
{
    /// <summary>Waiting for (the rest of) a request line and header fields.</summary>
    ReadingHead,

    /// <summary>The head is parsed; the body is still arriving.</summary>
    ReadingBody,

    /// <summary>An error reply went out; reading and discarding until the client closes, so it sees the reply, not a reset.</summary>
    Draining,

    /// <summary>The fd is closed.</summary>
    Closed,
}
