namespace ForkServer.Kernel.Wire;

/// <summary>
/// The one-byte messages an Emperor sends a vassal on its control socket (docs/protocol.md#emperor-to-vassal).
/// </summary>
internal enum EmperorCommand : byte
{
    /// <summary>Stop now: its ini was removed, or the Emperor is shutting down.</summary>
    Stop = 0,

    /// <summary>Reload: its ini changed, or the Emperor got SIGHUP.</summary>
    Reload = 1,

    /// <summary>Stop gracefully (<c>emperor-graceful-shutdown</c>).</summary>
    GracefulStop = 2,
}
