namespace ForkServer.Kernel.Posix;

/// <summary>What a non-blocking connect to a Unix-domain socket gave (<see cref="UnixSocketAddress.TryConnect"/>).</summary>
internal enum ConnectOutcome
{
    /// <summary>Connected.</summary>
    Connected,

    /// <summary>Nobody listens there yet: no socket file (ENOENT), or nobody accepting (ECONNREFUSED).</summary>
    NotListening,

    /// <summary>Someone listens, but its backlog is full (EAGAIN): worth trying again soon.</summary>
    BacklogFull,

    /// <summary>Any other error; its errno is reported alongside.</summary>
    Failed,
}
