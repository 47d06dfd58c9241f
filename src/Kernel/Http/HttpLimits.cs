namespace ForkServer.Kernel.Http;

/// <summary>The limits a worker's HTTP front enforces on each connection.</summary>
/// <param name="MaxHeaderBytes">Request line plus header fields; more is answered with 431.</param>
/// <param name="MaxBodyBytes">A request body, de-chunked; more is answered with 413.</param>
/// <param name="KeepAliveTimeoutSeconds">How long a connection may stay silent before it is closed.</param>
/// <param name="WriteTimeoutSeconds">How long one send may wait for a slow client before the client counts as gone.</param>
internal sealed record HttpLimits(
    int MaxHeaderBytes = 8192,
    long MaxBodyBytes = 64 * 1024 * 1024,
    int KeepAliveTimeoutSeconds = 60,
    int WriteTimeoutSeconds = 30);
