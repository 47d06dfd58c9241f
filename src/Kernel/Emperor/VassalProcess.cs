using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

/// <summary>One running process of a vassal and the state of its control channel.</summary>
internal sealed class VassalProcess(int pid, ProcessHandle handle, ControlSocketPair control, bool adopted) : IDisposable
{
    /// <summary>Forked by a fork-server base (stats <c>adopted</c>), not spawned by the Emperor.</summary>
    public bool Adopted { get; } = adopted;

    public int Pid { get; } = pid;

    /// <summary>The pidfd: readable once the process has exited.</summary>
    public ProcessHandle Handle { get; } = handle;

    /// <summary>The Emperor's end of the control socket.</summary>
    public int ControlFd => control.EmperorEnd;

    /// <summary>False once the control channel was closed (cursed).</summary>
    public bool HasControl { get; private set; } = true;

    /// <summary>When it was spawned (<see cref="Environment.TickCount64"/>).</summary>
    public long SpawnedAt { get; } = Environment.TickCount64;

    public bool Ready { get; set; }

    public bool Accepting { get; set; }

    public bool Loyal { get; set; }

    public long LastReady { get; set; }

    public long LastAccepting { get; set; }

    /// <summary>Unix seconds of the last heartbeat; 0 until the first (heartbeat checking starts with it).</summary>
    public long LastHeartbeat { get; set; }

    /// <summary>When the control channel broke or a stop was sent (<see cref="Environment.TickCount64"/>), or null.</summary>
    public long? CursedAt { get; set; }

    /// <summary>Unix seconds of the curse, for stats.</summary>
    public long CursedAtUnix { get; set; }

    /// <summary>Since when it has owed a ready report (spawn or reload; <see cref="Environment.TickCount64"/>), or null.</summary>
    public long? AwaitingReadySince { get; set; } = Environment.TickCount64;

    /// <summary>A reload (byte 1) was sent: an adopted vassal answers it by exiting, to be adopted anew at once.</summary>
    public bool ReloadSent { get; set; }

    /// <summary>SIGKILL was sent: do not send it again.</summary>
    public bool Killed { get; set; }

    /// <summary>Start of the current one-second window of control bytes, and the bytes in it (flood check).</summary>
    public long FloodWindowStart { get; set; }

    public int FloodWindowBytes { get; set; }

    public void CloseControl()
    {
        HasControl = false;
        control.Dispose();
    }

    public void Dispose()
    {
        control.Dispose();
        Handle.Dispose();
    }
}
