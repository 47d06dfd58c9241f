using Microsoft.Extensions.Logging;

namespace ForkServer.Abstractions;

/// <summary>What a worker hands to <see cref="ISelfHostedApplication.StartServing"/>.</summary>
/// <param name="WorkerId">1-based worker number, stable across respawns of the same slot.</param>
/// <param name="ProcessId">The worker's pid.</param>
/// <param name="ListeningSocket">
/// The fd of the bound, listening TCP socket every worker of the vassal accepts on (non-blocking, close-on-exec).
/// The server may close its copy when it stops.
/// </param>
/// <param name="Options">The validated options.</param>
/// <param name="Logging">Where to log.</param>
/// <param name="RequestServed">Call after each response is complete; it may be called from any thread.</param>
public sealed record ServingContext(
    int WorkerId,
    int ProcessId,
    int ListeningSocket,
    IOptionValues Options,
    ILoggerFactory Logging,
    Action RequestServed);
