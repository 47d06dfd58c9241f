using System.Globalization;
using System.Text;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Replacing workers that did not crash, on the master's one-second tick (uWSGI's master checks): <c>harakiri</c> kills
/// a worker stuck in one request (it reads what the worker is doing in their shared <see cref="WorkerStatus"/> page),
/// <c>max-worker-lifetime</c> and <c>reload-on-rss</c> retire one gracefully while a replacement starts at once.
/// <c>max-requests</c> is the worker's own count: it exits, and <see cref="OnWorkerExited"/> replaces it without the
/// pause a crash gets.
/// </summary>
internal sealed partial class VassalMaster
{
    private void EnforceLifecycle(long now)
    {
        if (_stopping)
        {
            return;
        }

        var lifecycle = _settings.Lifecycle;
        List<WorkerRecord>? replace = null;
        foreach (var worker in _workers.Values)
        {
            if (worker.IsRetiring || worker.KilledByHarakiri || worker.Status is not { } status)
            {
                continue;
            }

            if (lifecycle.Harakiri > TimeSpan.Zero
                && status.TryReadCurrentRequest(out long startedAt, out string line)
                && now - startedAt >= lifecycle.Harakiri.TotalMilliseconds)
            {
                Harakiri(worker, (now - startedAt) / 1000.0, line);
                continue;
            }

            long lived = now - worker.SpawnedAt;
            if (lifecycle.MaxLifetime > TimeSpan.Zero && lived >= lifecycle.MaxLifetime.TotalMilliseconds)
            {
                Log.MaxLifetimeReached(_log, worker.Slot, worker.Pid, lifecycle.MaxLifetime.TotalSeconds);
                (replace ??= new()).Add(worker);
            }
            else if (lifecycle.ReloadOnRssBytes > 0
                && lived >= lifecycle.MinLifetime.TotalMilliseconds
                && ResidentBytes(worker.Pid) is var rss && rss > lifecycle.ReloadOnRssBytes)
            {
                Log.ReloadOnRssReached(_log, worker.Slot, worker.Pid, rss / (1024 * 1024), lifecycle.ReloadOnRssBytes / (1024 * 1024));
                (replace ??= new()).Add(worker);
            }
        }

        // After the loop: a replacement joins _workers.
        foreach (var worker in replace ?? [])
        {
            Retire(worker);
            SpawnWorker(worker.Slot);
        }
    }

    private void Harakiri(WorkerRecord worker, double seconds, string line)
    {
        Log.HarakiriKilled(_log, worker.Slot, worker.Pid, seconds, line, _settings.Lifecycle.Harakiri.TotalSeconds);
        if (_settings.Lifecycle.HarakiriVerbose)
        {
            Log.HarakiriDetail(_log, worker.Slot, worker.Pid, ReadProcText(worker.Pid, "syscall"), ReadProcText(worker.Pid, "wchan"));
        }

        worker.KilledByHarakiri = true;
        worker.Process.Signal(Signals.SIGKILL);
    }

    /// <summary>The resident memory of <paramref name="pid"/>, in bytes (second field of /proc/PID/statm, in pages); 0 if unknown.</summary>
    private static long ResidentBytes(int pid)
    {
        string statm = ReadProcText(pid, "statm");
        string[] fields = statm.Split(' ');
        return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long pages)
            ? pages * Environment.SystemPageSize
            : 0;
    }

    private static string ReadProcText(int pid, string file)
    {
        Span<byte> buffer = stackalloc byte[512];
        int length = Files.TryReadSmall(Encoding.ASCII.GetBytes($"/proc/{pid}/{file}\0"), buffer);
        return length > 0 ? Encoding.ASCII.GetString(buffer[..length]).Trim() : "unknown";
    }
}
