using ForkServer.Kernel.Emperor.Stats;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    /// <summary>
    /// The stats document's content, built when a client connects (docs/protocol.md#stats-document, plus memory and
    /// workers).
    /// </summary>
    private EmperorStatsSnapshot Snapshot()
    {
        var vassals = _vassals.Values
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .Select(VassalSnapshot)
            .ToList();
        var blacklist = _blacklist.Entries
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new BlacklistEntryStats(e.Name, (long)e.Delay.TotalMilliseconds, e.Attempt, e.FirstAttempt, e.LastAttempt))
            .ToList();
        return new EmperorStatsSnapshot(
            Version: typeof(EmperorSupervisor).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            Pid: ProcessCalls.GetPid(),
            Uid: ProcessCalls.GetUid(),
            Gid: ProcessCalls.GetGid(),
            Cwd: Environment.CurrentDirectory,
            Monitors: _settings.Monitors,
            Tyrant: false,
            ThrottleLevelSeconds: 0, // there is no global throttle: respawn delays are per vassal (blacklist)
            Vassals: vassals,
            Blacklist: blacklist);
    }

    private static VassalStats VassalSnapshot(VassalInstance vassal)
    {
        var process = vassal.Process;
        int pid = process?.Pid ?? -1;
        var memory = process is null ? default : ProcessMemory.Read(pid);
        return new VassalStats(
            Id: vassal.Name,
            Pid: pid,
            Born: vassal.Born,
            LastMod: vassal.ModifiedNs / 1_000_000_000,
            LastHeartbeat: process?.LastHeartbeat ?? 0,
            Loyal: process?.Loyal ?? false,
            Ready: process?.Ready ?? false,
            Accepting: process?.Accepting ?? false,
            LastLoyal: vassal.LastLoyal,
            LastReady: process?.LastReady ?? 0,
            LastAccepting: process?.LastAccepting ?? 0,
            FirstRun: vassal.FirstRun,
            LastRun: vassal.LastRun,
            Cursed: process?.CursedAtUnix ?? 0,
            Zerg: 0,
            OnDemand: "",
            Suspended: false,
            Adopted: process?.Adopted ?? false,
            Uid: vassal.OwnerUid,
            Gid: vassal.OwnerGid,
            Monitor: vassal.Monitor,
            Attrs: [],
            Respawns: vassal.Reloads,
            Rss: memory.RssBytes,
            Pss: memory.PssBytes,
            WorkerPids: process is null ? [] : ProcessMemory.ChildPids(pid));
    }
}
