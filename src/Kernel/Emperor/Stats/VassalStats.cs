namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// One vassal in the stats document (docs/protocol.md#stats-document). Times are unix seconds, 0 meaning never.
/// </summary>
/// <param name="Id">The instance name (the ini file name).</param>
/// <param name="Pid">The vassal master's pid; -1 when not running (on-demand).</param>
/// <param name="Born">The config's mtime when it was first added.</param>
/// <param name="LastMod">The config's last seen mtime.</param>
/// <param name="LastHeartbeat">When the last heartbeat arrived.</param>
/// <param name="Loyal">A worker completed a request.</param>
/// <param name="Ready">The master reported itself ready.</param>
/// <param name="Accepting">Worker 1 accepts requests.</param>
/// <param name="LastLoyal">When it last became loyal.</param>
/// <param name="LastReady">When it last became ready.</param>
/// <param name="LastAccepting">When it last started accepting.</param>
/// <param name="FirstRun">When it was first started.</param>
/// <param name="LastRun">When it was last started.</param>
/// <param name="Cursed">When it was cursed (asked to stop), 0 when it is not.</param>
/// <param name="Zerg">Zerg instances it has.</param>
/// <param name="OnDemand">The on-demand socket name, or empty.</param>
/// <param name="Suspended">Suspended by the Emperor.</param>
/// <param name="Adopted">Spawned through the fork server.</param>
/// <param name="Uid">The config file owner's uid (not the vassal's runtime uid, as in uWSGI).</param>
/// <param name="Gid">The config file owner's gid.</param>
/// <param name="Monitor">The monitor that found it.</param>
/// <param name="Attrs">Its attributes from the monitor.</param>
/// <param name="Respawns">Reloads sent to it.</param>
/// <param name="Rss">Resident set size of its master, in bytes (ours, not in uWSGI).</param>
/// <param name="Pss">Proportional set size of its master, in bytes (ours, not in uWSGI).</param>
/// <param name="WorkerPids">Its master's child pids (ours, not in uWSGI).</param>
internal sealed record VassalStats(
    string Id,
    int Pid,
    long Born,
    long LastMod,
    long LastHeartbeat,
    bool Loyal,
    bool Ready,
    bool Accepting,
    long LastLoyal,
    long LastReady,
    long LastAccepting,
    long FirstRun,
    long LastRun,
    long Cursed,
    int Zerg,
    string OnDemand,
    bool Suspended,
    bool Adopted,
    uint Uid,
    uint Gid,
    string Monitor,
    IReadOnlyList<KeyValuePair<string, string>> Attrs,
    int Respawns,
    long Rss,
    long Pss,
    IReadOnlyList<int> WorkerPids);
