using Microsoft.Extensions.Logging;

namespace ForkServer.Abstractions;

/// <summary>What a worker hands to <see cref="IPreloadedApplication.CreateRequestHandler"/>.</summary>
/// <param name="WorkerId">1-based worker number, stable across respawns of the same slot.</param>
/// <param name="ProcessId">The worker's pid.</param>
/// <param name="Options">The validated options.</param>
/// <param name="Logging">Where to log.</param>
public sealed record WorkerContext(int WorkerId, int ProcessId, IOptionValues Options, ILoggerFactory Logging);
