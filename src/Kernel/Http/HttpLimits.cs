namespace ForkServer.Kernel.Http;

/// <summary>The limits a worker's HTTP front enforces on each connection.</summary>
/// <param name="MaxHeaderBytes">Request line plus header fields; more is answered with 431.</param>
/// <param name="MaxBodyBytes">A request body, de-chunked; more is answered with 413.</param>
/// <param name="KeepAliveTimeoutSeconds">How long a connection may stay silent before it is closed.</param>
/// <param name="WriteTimeoutSeconds">How long one send may wait for a slow client before the client counts as gone.</param>
/// <param name="PostBufferingBytes">
/// A request body longer than this is received into an unlinked temporary file in $TMPDIR (or /tmp) instead of
/// memory (uWSGI's <c>post-buffering</c>; 0 spools every body).
/// </param>
/// <param name="MaxBufferedBodyBytes">
/// All request bodies one worker holds in memory at once (its connections receive bodies side by side); a body
/// that would go past it is spooled to a file whatever its size.
/// </param>
/// <param name="MaxResponseWaitSeconds">
/// How long one response may wait in all, over all its sends, for a client to take its bytes; past it the client
/// counts as gone. <see cref="WriteTimeoutSeconds"/> bounds each wait; this bounds a client that reads a little
/// before every timeout. A fixed limit: uWSGI has no option for it.
/// </param>
internal sealed record HttpLimits(
    int MaxHeaderBytes = 8192,
    long MaxBodyBytes = 64 * 1024 * 1024,
    int KeepAliveTimeoutSeconds = 60,
    int WriteTimeoutSeconds = 30,
    long PostBufferingBytes = 64 * 1024,
    long MaxBufferedBodyBytes = 4 * 1024 * 1024,
    int MaxResponseWaitSeconds = 300);
