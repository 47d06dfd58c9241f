namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// Renders an <see cref="EmperorStatsSnapshot"/> as the JSON document of docs/protocol.md#stats-document: uWSGI's keys
/// in uWSGI's order, tab-indented, booleans as 0/1. Two deliberate differences: <c>attrs</c> is a JSON object
/// (<c>{"key":"value"}</c>), where uWSGI writes its members inside an array and so produces invalid JSON whenever a
/// vassal has attributes (D12 in docs/uwsgi-defects.md); and every vassal ends with our own <c>rss</c>, <c>pss</c>
/// (bytes) and <c>workers</c> (child pids of its master), which uWSGI readers ignore because they come last.
/// </summary>
internal static class EmperorStatsWriter
{
    /// <summary>The document for <paramref name="snapshot"/>, as UTF-8.</summary>
    public static byte[] Write(EmperorStatsSnapshot snapshot)
    {
        var json = new TabbedJsonWriter();
        json.StartObject();
        json.String("version", snapshot.Version);
        json.Number("pid", snapshot.Pid);
        json.Number("uid", snapshot.Uid);
        json.Number("gid", snapshot.Gid);
        json.String("cwd", snapshot.Cwd);
        json.StartArray("emperor");
        foreach (string monitor in snapshot.Monitors)
        {
            json.String(null, monitor);
        }

        json.EndArray();
        json.Flag("emperor_tyrant", snapshot.Tyrant);
        json.Number("throttle_level", snapshot.ThrottleLevelSeconds);
        json.StartArray("vassals");
        foreach (var vassal in snapshot.Vassals)
        {
            WriteVassal(json, vassal);
        }

        json.EndArray();
        json.StartArray("blacklist");
        foreach (var entry in snapshot.Blacklist)
        {
            json.StartObject();
            json.String("id", entry.Id);
            json.Number("throttle_level", entry.ThrottleLevelMs);
            json.Number("attempt", entry.Attempt);
            json.Number("first_attempt", entry.FirstAttempt);
            json.Number("last_attempt", entry.LastAttempt);
            json.EndObject();
        }

        json.EndArray();
        json.EndObject();
        return json.ToUtf8();
    }

    private static void WriteVassal(TabbedJsonWriter json, VassalStats vassal)
    {
        json.StartObject();
        json.String("id", vassal.Id);
        json.Number("pid", vassal.Pid);
        json.Number("born", vassal.Born);
        json.Number("last_mod", vassal.LastMod);
        json.Number("last_heartbeat", vassal.LastHeartbeat);
        json.Flag("loyal", vassal.Loyal);
        json.Flag("ready", vassal.Ready);
        json.Flag("accepting", vassal.Accepting);
        json.Number("last_loyal", vassal.LastLoyal);
        json.Number("last_ready", vassal.LastReady);
        json.Number("last_accepting", vassal.LastAccepting);
        json.Number("first_run", vassal.FirstRun);
        json.Number("last_run", vassal.LastRun);
        json.Number("cursed", vassal.Cursed);
        json.Number("zerg", vassal.Zerg);
        json.String("on_demand", vassal.OnDemand);
        json.Flag("suspended", vassal.Suspended);
        json.Flag("adopted", vassal.Adopted);
        json.Number("uid", vassal.Uid);
        json.Number("gid", vassal.Gid);
        json.String("monitor", vassal.Monitor);
        json.StartObject("attrs");
        foreach (var attribute in vassal.Attrs)
        {
            json.String(attribute.Key, attribute.Value);
        }

        json.EndObject();
        json.Number("respawns", vassal.Respawns);
        json.Number("rss", vassal.Rss);
        json.Number("pss", vassal.Pss);
        json.StartArray("workers");
        foreach (int pid in vassal.WorkerPids)
        {
            json.Number(null, pid);
        }

        json.EndArray();
        json.EndObject();
    }
}
