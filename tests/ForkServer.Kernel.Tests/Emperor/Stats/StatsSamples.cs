using ForkServer.Kernel.Emperor.Stats;

namespace ForkServer.Kernel.Tests.Emperor.Stats;

/// <summary>Snapshots shaped like the sample in /work/shared/emperor-stats-sample.json.</summary>
internal static class StatsSamples
{
    public static EmperorStatsSnapshot TwoVassalsOneBlacklisted() => new(
        Version: "2.1-dev",
        Pid: 7521,
        Uid: 0,
        Gid: 0,
        Cwd: "/etc/uwsgi/vassals",
        Monitors: ["/etc/uwsgi/vassals"],
        Tyrant: false,
        ThrottleLevelSeconds: 1,
        Vassals:
        [
            Vassal("perlbase.ini", 7524, adopted: false, attrs: [], workers: [7530, 7531]),
            Vassal("one.ini", 7570, adopted: true, attrs: [new("fork-server", "/run/base.sock"), new("note", "say \"hi\"\\\n\ttab")], workers: []),
        ],
        Blacklist: [new BlacklistEntryStats("broken.ini", 3000, 3, 1795853290, 1795853300)]);

    public static EmperorStatsSnapshot WithVassals(int count) => TwoVassalsOneBlacklisted() with
    {
        Vassals = Enumerable.Range(0, count).Select(i => Vassal($"vassal-{i}.ini", 10000 + i, i % 2 == 0, [], [20000 + i])).ToArray(),
    };

    private static VassalStats Vassal(string id, int pid, bool adopted, KeyValuePair<string, string>[] attrs, int[] workers) => new(
        Id: id,
        Pid: pid,
        Born: 1795853289,
        LastMod: 1795853289,
        LastHeartbeat: 0,
        Loyal: adopted,
        Ready: true,
        Accepting: true,
        LastLoyal: adopted ? 1795853307 : 0,
        LastReady: 1795853299,
        LastAccepting: 1795853299,
        FirstRun: 1795853298,
        LastRun: 1795853298,
        Cursed: 0,
        Zerg: 0,
        OnDemand: "",
        Suspended: false,
        Adopted: adopted,
        Uid: 0,
        Gid: 0,
        Monitor: "/etc/uwsgi/vassals",
        Attrs: attrs,
        Respawns: 0,
        Rss: 52428800,
        Pss: 31457280,
        WorkerPids: workers);
}
