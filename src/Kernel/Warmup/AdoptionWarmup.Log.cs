using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Warmup;

/// <summary>The warm-up's log events (ids 3930–3949).</summary>
internal sealed partial class AdoptionWarmup
{
    /// <summary>Log events of a base's warm-up: what could not be rehearsed (only speed is lost) and what was.</summary>
    private static partial class Log
    {
        [LoggerMessage(3930, LogLevel.Warning, "HTTP and spare worker rehearsal failed, adopted vassals will start slower: {Error}")]
        public static partial void StartupRehearsalFailed(ILogger logger, string error);

        [LoggerMessage(3931, LogLevel.Warning, "adoption request rehearsal failed, the first adoption will be slower: {Error}")]
        public static partial void MessagesRehearsalFailed(ILogger logger, string error);

        [LoggerMessage(3932, LogLevel.Debug, "{Count} methods of the kernel and its plugins prepared ({Failed} could not be)")]
        public static partial void MethodsPrepared(ILogger logger, int count, int failed);

        [LoggerMessage(3933, LogLevel.Debug, "{Count} log events of adopted processes and plugins rehearsed ({Failed} could not be)")]
        public static partial void EventsRehearsed(ILogger logger, int count, int failed);

        [LoggerMessage(3934, LogLevel.Debug, "adoption path rehearsed in {Elapsed} ms")]
        public static partial void Done(ILogger logger, long elapsed);

        [LoggerMessage(3935, LogLevel.Warning, "the rehearsal fork's child {Pid} did not exit within {Timeout} s: killed")]
        public static partial void ForkChildStuck(ILogger logger, int pid, double timeout);
    }
}
