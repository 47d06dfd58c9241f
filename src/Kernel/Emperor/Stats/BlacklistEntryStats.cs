namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>One throttled vassal in the stats document's blacklist (docs/protocol.md#stats-document).</summary>
/// <param name="Id">The instance name.</param>
/// <param name="ThrottleLevelMs">Its current throttle, in milliseconds.</param>
/// <param name="Attempt">Failed attempts so far.</param>
/// <param name="FirstAttempt">Unix seconds of the first failed attempt.</param>
/// <param name="LastAttempt">Unix seconds of the last failed attempt.</param>
internal sealed record BlacklistEntryStats(string Id, long ThrottleLevelMs, int Attempt, long FirstAttempt, long LastAttempt);
