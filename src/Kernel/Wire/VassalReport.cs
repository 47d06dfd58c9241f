namespace ForkServer.Kernel.Wire;

/// <summary>
/// The one-byte messages a vassal sends its Emperor on the control socket (docs/protocol.md#vassal-to-emperor).
/// </summary>
internal enum VassalReport : byte
{
    /// <summary>The master is initialised, before it forks workers ("spawned").</summary>
    Ready = 1,

    /// <summary>The vassal asks for its config blob again (only with a config pipe).</summary>
    ConfigRequest = 2,

    /// <summary>Worker 1 accepts requests.</summary>
    Accepting = 5,

    /// <summary>A worker completed its first request (each worker sends it once).</summary>
    Loyal = 17,

    /// <summary>The master went idle (<c>die-on-idle</c>): back to on-demand, or stop.</summary>
    Idle = 22,

    /// <summary>The master is alive (every <c>heartbeat</c> seconds).</summary>
    Heartbeat = 26,

    /// <summary>The master asks for reinforcements (broodlord).</summary>
    Sos = 30,

    /// <summary>
    /// ForkServer's own: an adopted master exiting for a reload sends its listening socket with this byte
    /// (SCM_RIGHTS), so the Emperor keeps the port open and passes it to the re-adopted vassal as its on-demand
    /// socket: connections wait in the backlog instead of being refused. uWSGI's Emperor ignores unknown bytes, and
    /// its plain read() discards the fd.
    /// </summary>
    ListenerHandOver = 64,
}
