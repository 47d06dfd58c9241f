namespace ForkServer.Kernel.Posix;

/// <summary>What a non-blocking connect to a Unix-domain socket gave (<see cref="UnixSocketAddress.TryConnect"/>).</summary>
internal enum ConnectOutcome
{
    /// <summary>Connected.</summary>
    Connected,

    /// <summary>Nobody listens there yet: no socket file (ENOENT), nobody accepting (ECONNREFUSED), or a full backlog (EAGAIN).</summary>
    NotListening,

    /// <summary>Any other error; its errno is reported alongside.</summary>
    Failed,
}
