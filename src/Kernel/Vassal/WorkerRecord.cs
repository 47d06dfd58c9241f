using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>What the master knows about one live worker process.</summary>
internal sealed class WorkerRecord(int slot, int pid, ProcessHandle process, int readyPipe, long spawnedAt, WorkerStatus? status) : IDisposable
{
    /// <summary>1-based slot number; a respawned worker takes the slot of the one it replaces.</summary>
    public int Slot { get; } = slot;

    public int Pid { get; } = pid;

    /// <summary>The worker's pidfd: readable once it has exited.</summary>
    public ProcessHandle Process { get; } = process;

    /// <summary>Read end of the pipe the worker reports on (<see cref="WorkerReports"/>); -1 once closed.</summary>
    public int ReadyPipe { get; private set; } = readyPipe;

    /// <summary>When it was forked (<see cref="Environment.TickCount64"/>).</summary>
    public long SpawnedAt { get; } = spawnedAt;

    /// <summary>True once it reported that it accepts connections.</summary>
    public bool IsReady { get; set; }

    /// <summary>True once it reported its first response.</summary>
    public bool IsLoyal { get; set; }

    /// <summary>True once it was asked to stop (reload or shutdown): it is not respawned.</summary>
    public bool IsRetiring { get; set; }

    /// <summary>What it is doing, in the page it shares with the master; null for a worker of the previous image.</summary>
    public WorkerStatus? Status { get; } = status;

    /// <summary>True once harakiri killed it: it is replaced at once, without the pause of a worker that crashed.</summary>
    public bool KilledByHarakiri { get; set; }

    /// <summary>When it gets SIGKILL if it is still alive (<see cref="Environment.TickCount64"/>), or null.</summary>
    public long? KillAt { get; set; }

    /// <summary>Closes the ready pipe (after the worker's last report, or when it is gone).</summary>
    public void CloseReadyPipe()
    {
        if (ReadyPipe >= 0)
        {
            Descriptors.Close(ReadyPipe);
            ReadyPipe = -1;
        }
    }

    public void Dispose()
    {
        CloseReadyPipe();
        Process.Dispose();
        Status?.Dispose();
    }
}
