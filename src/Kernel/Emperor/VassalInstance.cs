using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

/// <summary>
/// One vassal the Emperor runs: its file, its process and what it reported (docs/protocol.md#vassal-lifecycle).
/// </summary>
internal sealed class VassalInstance(string name, string configPath, string monitor, long modifiedNs, uint ownerUid, uint ownerGid)
{
    /// <summary>The instance name: the file name for a directory monitor, the path for a glob.</summary>
    public string Name { get; } = name;

    /// <summary>The file as the monitor found it.</summary>
    public string ConfigPath { get; } = configPath;

    public string Monitor { get; } = monitor;

    public uint OwnerUid { get; set; } = ownerUid;

    public uint OwnerGid { get; set; } = ownerGid;

    /// <summary>The file's mtime (ns) when it was last acted on.</summary>
    public long ModifiedNs { get; set; } = modifiedNs;

    /// <summary>Unix seconds when the Emperor first saw the file.</summary>
    public long Born { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public VassalProcess? Process { get; set; }

    /// <summary>The file is gone (or the Emperor is stopping): when the process ends the instance is deleted.</summary>
    public bool IsLeaving { get; set; }

    /// <summary>The file came back while its old process was stopping: spawn anew as soon as that one is gone.</summary>
    public bool RespawnWhenGone { get; set; }

    /// <summary>
    /// Its adoption waits for the fork server to listen (D4 in docs/uwsgi-defects.md): retried until it does, never
    /// blacklisted for it.
    /// </summary>
    public bool AwaitingForkServer { get; set; }

    /// <summary>The adoption request in flight, or null.</summary>
    public PendingAdoption? Adoption { get; set; }

    /// <summary>A respawn is waiting for its throttle to pass (<see cref="Environment.TickCount64"/>), or null.</summary>
    public long? SpawnAt { get; set; }

    /// <summary>Reloads sent (stats <c>respawns</c>).</summary>
    public int Reloads { get; set; }

    public long FirstRun { get; set; }

    public long LastRun { get; set; }

    /// <summary>Unix seconds of the last loyal report, kept across respawns like uWSGI's <c>last_loyal</c>.</summary>
    public long LastLoyal { get; set; }

    /// <summary>
    /// The listening socket its last process handed over when it exited for a reload (-1 for none): kept open so
    /// clients wait in the backlog, and passed to the next adoption as its on-demand socket.
    /// </summary>
    public int HeldListener { get; private set; } = -1;

    /// <summary>Keeps <paramref name="fd"/> (now owned here) as <see cref="HeldListener"/>, closing one held before.</summary>
    public void HoldListener(int fd)
    {
        ReleaseListener();
        HeldListener = fd;
    }

    /// <summary>Closes the held listener, if any: it went to the new process, or nobody will take it.</summary>
    public void ReleaseListener()
    {
        if (HeldListener >= 0)
        {
            Descriptors.Close(HeldListener);
            HeldListener = -1;
        }
    }
}
