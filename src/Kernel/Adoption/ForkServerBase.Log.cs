using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>The fork-server base's log events (ids 3401–3499).</summary>
internal sealed partial class ForkServerBase
{
    /// <summary>Log events of a base: its life, its adoption requests, its spares and its rehearsals.</summary>
    private static partial class Log
    {
        [LoggerMessage(3401, LogLevel.Information, "fork server {Pid} ready on {Path} with {Application}")]
        public static partial void Ready(ILogger logger, int pid, string path, string application);

        [LoggerMessage(3402, LogLevel.Information, "fork server {Pid} stopped")]
        public static partial void Stopped(ILogger logger, int pid);

        [LoggerMessage(3403, LogLevel.Information, "fork server exiting: {Reason}")]
        public static partial void Exiting(ILogger logger, string reason);

        [LoggerMessage(3410, LogLevel.Error, "fork server accept failed (errno {Errno})")]
        public static partial void AcceptFailed(ILogger logger, int errno);

        [LoggerMessage(3411, LogLevel.Error, "adoption request refused: {Error}")]
        public static partial void RequestRefused(ILogger logger, string error);

        [LoggerMessage(3412, LogLevel.Information, "adopting {Argv} for pid {Peer} ({Count} fd(s))")]
        public static partial void Adopting(ILogger logger, string argv, int peer, int count);

        [LoggerMessage(3420, LogLevel.Error, "spare vassal: the base's hand-over is unreadable: {Error}")]
        public static partial void HandOverUnreadable(ILogger logger, string error);

        [LoggerMessage(3421, LogLevel.Warning, "spare vassal: could not fork its spare worker ({Error}); its master will fork every worker")]
        public static partial void SpareWorkerForkFailed(ILogger logger, string error);

        [LoggerMessage(3430, LogLevel.Warning, "HTTP and spare worker rehearsal failed, adopted vassals will start slower: {Error}")]
        public static partial void WorkerRehearsalFailed(ILogger logger, string error);

        [LoggerMessage(3431, LogLevel.Warning, "adoption request rehearsal failed, the first adoption will be slower: {Error}")]
        public static partial void RequestRehearsalFailed(ILogger logger, string error);

        [LoggerMessage(3432, LogLevel.Debug, "{Count} methods of the kernel and its plugins prepared ({Failed} could not be)")]
        public static partial void MethodsPrepared(ILogger logger, int count, int failed);

        [LoggerMessage(3433, LogLevel.Debug, "{Count} log events of adopted processes and plugins rehearsed ({Failed} could not be)")]
        public static partial void EventsRehearsed(ILogger logger, int count, int failed);

        [LoggerMessage(3434, LogLevel.Debug, "adoption path rehearsed in {Elapsed} ms")]
        public static partial void Rehearsed(ILogger logger, long elapsed);

        [LoggerMessage(3435, LogLevel.Warning, "the rehearsal fork's child {Pid} did not exit within {Timeout} s: killed")]
        public static partial void RehearsalChildStuck(ILogger logger, int pid, double timeout);
    }
}
