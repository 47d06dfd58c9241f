namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// What the Emperor shows on its stats socket at one instant (docs/protocol.md#stats-document). Times are unix seconds,
/// 0 meaning never.
/// </summary>
/// <param name="Version">The Emperor's version string.</param>
/// <param name="Pid">The Emperor's pid.</param>
/// <param name="Uid">The Emperor's uid.</param>
/// <param name="Gid">The Emperor's gid.</param>
/// <param name="Cwd">The Emperor's working directory.</param>
/// <param name="Monitors">The imperial monitor arguments (such as the absolute vassal folder).</param>
/// <param name="Tyrant">Tyrant mode: vassals run as their config file's owner.</param>
/// <param name="ThrottleLevelSeconds">The global spawn throttle, in seconds.</param>
/// <param name="Vassals">The known vassals.</param>
/// <param name="Blacklist">The vassals that are being throttled after failures.</param>
internal sealed record EmperorStatsSnapshot(
    string Version,
    int Pid,
    uint Uid,
    uint Gid,
    string Cwd,
    IReadOnlyList<string> Monitors,
    bool Tyrant,
    long ThrottleLevelSeconds,
    IReadOnlyList<VassalStats> Vassals,
    IReadOnlyList<BlacklistEntryStats> Blacklist);
