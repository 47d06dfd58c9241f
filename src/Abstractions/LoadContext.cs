using Microsoft.Extensions.Logging;

namespace ForkServer.Abstractions;

/// <summary>What a loader gets when it is asked to load.</summary>
/// <param name="Phase">Which load this is.</param>
/// <param name="Options">The validated options.</param>
/// <param name="Logging">Where to log.</param>
public sealed record LoadContext(LoadPhase Phase, IOptionValues Options, ILoggerFactory Logging);
