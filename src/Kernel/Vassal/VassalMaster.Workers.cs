using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Warmup;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Vassal;

internal sealed partial class VassalMaster
{
    // A worker that dies sooner than this after its fork is respawned after a pause, so an app that crashes
    // at once does not turn the master into a fork loop.
    private const long QuickDeathMs = 1000;
    private readonly List<PendingRespawn> _pendingRespawns = new();

    private void SpawnWorker(int slot)
    {
        var (readyRead, readyWrite) = CreateReadyPipe();

        _application.PrepareForFork();
        int pid;
        WorkerStatus? status = null;
        try
        {
            status = WorkerStatus.Create();
            pid = ProcessForker.Fork(() =>
            {
                Descriptors.Close(readyRead);
                ReleaseInChild();
                return new WorkerProcess(slot, _pid, readyWrite, status, _settings, _listener, _application, _options, _logging).Run();
            });
        }
        catch (Exception e) when (e is PosixException or TimeoutException or IOException)
        {
            // A transient failure (EAGAIN from fork or mmap, a stalled hand-off) must not take the master and its
            // other workers down: try this slot again later. ForkRefusedException is not transient and propagates.
            Descriptors.Close(readyRead);
            status?.Dispose();
            Log.WorkerForkFailed(_log, slot, e.Message, QuickDeathMs);
            _pendingRespawns.Add(new(slot, Environment.TickCount64 + QuickDeathMs));
            return;
        }
        finally
        {
            Descriptors.Close(readyWrite);
        }

        Track(new WorkerRecord(slot, pid, ProcessHandle.Open(pid), readyRead, Environment.TickCount64, status));
        Log.WorkerSpawned(_log, slot, pid);
    }

    /// <summary>
    /// Tracks the spare worker as worker 1 if this master has one that is already listening; false if it has none
    /// (or it did not start, <see cref="Adoption.SpareWorker.ReceiveListener(Http.ListenerProtocol, long)"/>).
    /// </summary>
    private bool StartSpareWorker()
    {
        if (_spareWorker is not { IsListening: true } spare)
        {
            return false;
        }

        _spareWorker = null;
        using (spare)
        {
            Track(new WorkerRecord(1, spare.Pid, ProcessHandle.Open(spare.Pid), spare.ReadyPipe, Environment.TickCount64, spare.TakeStatus()));
            Log.SpareWorkerTaken(_log, spare.Pid);
            return true;
        }
    }

    /// <summary>Supervises a worker the previous image left finishing its requests, with the deadline it had there.</summary>
    private void TakeOver(RetiringWorker retiring)
    {
        ProcessHandle handle;
        try
        {
            handle = ProcessHandle.Open(retiring.Pid);
        }
        catch (PosixException e)
        {
            Log.RetiringWorkerLost(_log, retiring.Slot, retiring.Pid, e.Message);
            return;
        }

        Track(new WorkerRecord(retiring.Slot, retiring.Pid, handle, -1, Environment.TickCount64, status: null) { IsReady = true, IsRetiring = true, KillAt = retiring.KillAt });
        Log.RetiringWorkerTakenOver(_log, retiring.Slot, retiring.Pid, Math.Max(0, retiring.KillAt - Environment.TickCount64) / 1000.0);
    }

    /// <summary>The pipe a worker reports on (<see cref="WorkerReports"/>): (read end, write end).</summary>
    public static (int Read, int Write) CreateReadyPipe() => Pipes.Create("a worker's ready report");

    private void Track(WorkerRecord worker)
    {
        _workers[worker.Pid] = worker;
        _loop.Add(worker.Process.Fd, EventLoop.Readable, _ => OnWorkerExited(worker));
        if (worker.ReadyPipe >= 0)
        {
            _loop.Add(worker.ReadyPipe, EventLoop.Readable, _ => OnWorkerReport(worker));
        }
    }

    /// <summary>
    /// Reads what a worker reported (<see cref="WorkerReports"/>) and tells the Emperor what it must know: worker 1
    /// accepts, a worker served its first response. The workers run the application, so they cannot reach the Emperor
    /// themselves; a byte that is no report is ignored.
    /// </summary>
    private void OnWorkerReport(WorkerRecord worker)
    {
        Span<byte> reports = stackalloc byte[16];
        int n;
        try
        {
            n = DescriptorIo.Read(worker.ReadyPipe, reports, "read a worker's reports from");
        }
        catch (PosixException)
        {
            n = 0;
        }

        foreach (byte report in reports[..n])
        {
            if (report == WorkerReports.Ready && !worker.IsReady)
            {
                OnWorkerReady(worker);
            }
            else if (report == WorkerReports.Loyal && !worker.IsLoyal)
            {
                worker.IsLoyal = true;
                _emperor?.Report(VassalReport.Loyal);
            }
        }

        // End of file: it exited (its pidfd says so) or has nothing more to report.
        if (n == 0 || (worker.IsReady && worker.IsLoyal))
        {
            _loop.Remove(worker.ReadyPipe);
            worker.CloseReadyPipe();
        }
    }

    private void OnWorkerReady(WorkerRecord worker)
    {
        worker.IsReady = true;
        if (worker.Slot == 1)
        {
            _emperor?.Report(VassalReport.Accepting);
        }

        int accepting = _workers.Values.Count(w => w.IsReady && !w.IsRetiring);
        if (accepting == _settings.Processes)
        {
            Log.AllAccepting(_log, accepting);
            if (JitFreePath.IsMarked)
            {
                JitFreePath.Log.MasterReady(_log, JitFreePath.End());
            }
        }
    }

    private void OnWorkerExited(WorkerRecord worker)
    {
        if (!worker.Process.TryReap(out var status))
        {
            return;
        }

        _loop.Remove(worker.Process.Fd);
        if (worker.ReadyPipe >= 0)
        {
            _loop.Remove(worker.ReadyPipe);
        }

        // Read before the status page is unmapped: a worker that recycled itself said so there.
        var recycled = worker.Status?.RecycleReason ?? WorkerRecycleReason.None;
        long served = worker.Status?.RequestsServed ?? 0;
        _workers.Remove(worker.Pid);
        worker.Dispose();
        if (_stopping || worker.IsRetiring)
        {
            Log.WorkerEnded(_log, worker.Slot, worker.Pid, status);
            return;
        }

        if (worker.KilledByHarakiri)
        {
            Log.HarakiriWorkerEnded(_log, worker.Slot, worker.Pid, status);
            SpawnWorker(worker.Slot);
            return;
        }

        if (recycled == WorkerRecycleReason.MaxRequests && status.ExitCode == 0)
        {
            Log.MaxRequestsReached(_log, worker.Slot, worker.Pid, served, _settings.Lifecycle.MaxRequests);
            SpawnWorker(worker.Slot);
            return;
        }

        long lived = Environment.TickCount64 - worker.SpawnedAt;
        Log.WorkerDied(_log, worker.Slot, worker.Pid, lived, status);
        if (lived < QuickDeathMs)
        {
            _pendingRespawns.Add(new(worker.Slot, Environment.TickCount64 + QuickDeathMs));
        }
        else
        {
            SpawnWorker(worker.Slot);
        }
    }

    /// <summary>Asks a worker to finish its requests and exit, and sets when it gets SIGKILL otherwise.</summary>
    private void Retire(WorkerRecord worker)
    {
        worker.IsRetiring = true;
        worker.KillAt = Environment.TickCount64 + (long)_settings.WorkerMercy.TotalMilliseconds;
        worker.Process.Signal(Signals.SIGTERM);
    }

    private void EnforceDeadlines()
    {
        long now = Environment.TickCount64;
        EnforceLifecycle(now);
        foreach (var worker in _workers.Values)
        {
            if (worker.KillAt is { } killAt && now >= killAt)
            {
                Log.WorkerNotStopped(_log, worker.Slot, worker.Pid, _settings.WorkerMercy.TotalSeconds);
                worker.Process.Signal(Signals.SIGKILL);
                worker.KillAt = null;
            }
            else if (!worker.IsReady && !worker.IsRetiring && now - worker.SpawnedAt > _settings.WorkerReadyDeadline.TotalMilliseconds)
            {
                Log.WorkerNotReady(_log, worker.Slot, worker.Pid, _settings.WorkerReadyDeadline.TotalSeconds);
                worker.Process.Signal(Signals.SIGKILL);
                worker.IsReady = true;
            }
        }

        if (_stopping)
        {
            _pendingRespawns.Clear();
            return;
        }

        for (int i = _pendingRespawns.Count - 1; i >= 0; i--)
        {
            if (now >= _pendingRespawns[i].At)
            {
                int slot = _pendingRespawns[i].Slot;
                _pendingRespawns.RemoveAt(i);
                SpawnWorker(slot);
            }
        }
    }

    private int NextTimeoutMs()
    {
        long now = Environment.TickCount64;
        long next = Math.Min(now + 1000, _nextHeartbeat);
        foreach (var (_, at) in _pendingRespawns)
        {
            next = Math.Min(next, at);
        }

        foreach (var worker in _workers.Values)
        {
            if (worker.KillAt is { } killAt)
            {
                next = Math.Min(next, killAt);
            }
        }

        return (int)Math.Max(0, next - now);
    }

    // A class, not a value tuple: List<T> over a value type is not in the ReadyToRun image and, tiered compilation
    // being off, was JIT-compiled in every forked master; over a class it runs the framework's precompiled code.
    private sealed record PendingRespawn(int Slot, long At);
}
