using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>The master's log events (ids 3001–3099 (3040–3059: worker lifecycle), and 3160–3169 for the workers it takes over on a reload).</summary>
internal sealed partial class VassalMaster
{
    /// <summary>Log events of a vassal's master: its workers, its stops and reloads.</summary>
    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Information, "master {Pid} serving {Application} on {Url} with {Processes} worker(s)")]
        public static partial void Serving(ILogger logger, int pid, string application, string url, int processes);

        [LoggerMessage(3002, LogLevel.Information, "master {Pid} stopped ({Outcome})")]
        public static partial void Stopped(ILogger logger, int pid, string outcome);

        [LoggerMessage(3010, LogLevel.Error, "could not fork worker {Slot}: {Error}; retrying in {Delay} ms")]
        public static partial void WorkerForkFailed(ILogger logger, int slot, string error, long delay);

        [LoggerMessage(3011, LogLevel.Information, "spawned worker {Slot} (pid {WorkerPid})")]
        public static partial void WorkerSpawned(ILogger logger, int slot, int workerPid);

        [LoggerMessage(3012, LogLevel.Information, "worker 1 (pid {WorkerPid}) forked while the vassal waited for adoption")]
        public static partial void SpareWorkerTaken(ILogger logger, int workerPid);

        [LoggerMessage(3013, LogLevel.Information, "all {Count} worker(s) accepting")]
        public static partial void AllAccepting(ILogger logger, int count);

        [LoggerMessage(3014, LogLevel.Information, "worker {Slot} (pid {WorkerPid}) ended: {Status}")]
        public static partial void WorkerEnded(ILogger logger, int slot, int workerPid, ExitStatus status);

        [LoggerMessage(3015, LogLevel.Warning, "worker {Slot} (pid {WorkerPid}) died after {Lifetime} ms: {Status}; respawning")]
        public static partial void WorkerDied(ILogger logger, int slot, int workerPid, long lifetime, ExitStatus status);

        [LoggerMessage(3016, LogLevel.Error, "worker {Slot} (pid {WorkerPid}) did not stop within {Mercy} s: killed")]
        public static partial void WorkerNotStopped(ILogger logger, int slot, int workerPid, double mercy);

        [LoggerMessage(3017, LogLevel.Error, "worker {Slot} (pid {WorkerPid}) did not report ready within {Deadline} s: killed")]
        public static partial void WorkerNotReady(ILogger logger, int slot, int workerPid, double deadline);

        [LoggerMessage(3020, LogLevel.Information, "worker {Slot}: pid {WorkerPid}, ready {Ready}, retiring {Retiring}")]
        public static partial void WorkerState(ILogger logger, int slot, int workerPid, bool ready, bool retiring);

        [LoggerMessage(3021, LogLevel.Error, "lost the connection with the Emperor")]
        public static partial void EmperorLost(ILogger logger);

        [LoggerMessage(3022, LogLevel.Information, "graceful stop ({Reason}): waiting up to {Mercy} s for {Count} worker(s)")]
        public static partial void StoppingGracefully(ILogger logger, string reason, double mercy, int count);

        [LoggerMessage(3023, LogLevel.Warning, "brutal stop ({Reason}): killing {Count} worker(s)")]
        public static partial void StoppingBrutally(ILogger logger, string reason, int count);

        [LoggerMessage(3024, LogLevel.Information, "graceful reload of {Count} worker(s)")]
        public static partial void Reloading(ILogger logger, int count);

        [LoggerMessage(3040, LogLevel.Error, "HARAKIRI: worker {Slot} (pid {WorkerPid}) stuck for {Seconds:0.#} s in \"{RequestLine}\" (harakiri {Harakiri} s): killed")]
        public static partial void HarakiriKilled(ILogger logger, int slot, int workerPid, double seconds, string requestLine, double harakiri);

        [LoggerMessage(3041, LogLevel.Error, "HARAKIRI: worker {Slot} (pid {WorkerPid}) was in syscall {Syscall}, wchan {Wchan}")]
        public static partial void HarakiriDetail(ILogger logger, int slot, int workerPid, string syscall, string wchan);

        [LoggerMessage(3042, LogLevel.Warning, "worker {Slot} (pid {WorkerPid}) ended after harakiri: {Status}; respawning")]
        public static partial void HarakiriWorkerEnded(ILogger logger, int slot, int workerPid, ExitStatus status);

        [LoggerMessage(3043, LogLevel.Information, "worker {Slot} (pid {WorkerPid}) served {Requests} request(s) (max-requests {MaxRequests}): respawning")]
        public static partial void MaxRequestsReached(ILogger logger, int slot, int workerPid, long requests, long maxRequests);

        [LoggerMessage(3044, LogLevel.Information, "worker {Slot} (pid {WorkerPid}) reached max-worker-lifetime ({Lifetime} s): replacing it gracefully")]
        public static partial void MaxLifetimeReached(ILogger logger, int slot, int workerPid, double lifetime);

        [LoggerMessage(3045, LogLevel.Information, "worker {Slot} (pid {WorkerPid}) uses {RssMb} MB resident, over reload-on-rss {LimitMb} MB: replacing it gracefully")]
        public static partial void ReloadOnRssReached(ILogger logger, int slot, int workerPid, long rssMb, long limitMb);

        [LoggerMessage(3046, LogLevel.Information, "cheaper = {Cheaper}: accepted, but every one of the {Processes} worker(s) always runs (ForkServer has no cheaper algorithm)")]
        public static partial void CheaperIgnored(ILogger logger, string cheaper, int processes);

        [LoggerMessage(3160, LogLevel.Information, "worker {Slot} (pid {WorkerPid}) of the previous image finishes its requests: killed if still running in {Mercy} s")]
        public static partial void RetiringWorkerTakenOver(ILogger logger, int slot, int workerPid, double mercy);

        [LoggerMessage(3161, LogLevel.Warning, "worker {Slot} (pid {WorkerPid}) of the previous image cannot be supervised: {Error}")]
        public static partial void RetiringWorkerLost(ILogger logger, int slot, int workerPid, string error);
    }
}
