using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>The spare supply's log events (ids 3501–3549).</summary>
internal sealed partial class SpareSupply
{
    /// <summary>Log events of the base's spare vassal.</summary>
    private static partial class Log
    {
        [LoggerMessage(3501, LogLevel.Error, "could not fork a spare vassal: {Error}; the next adoption request forks one")]
        public static partial void ForkFailed(ILogger logger, string error);

        [LoggerMessage(3502, LogLevel.Warning, "the spare vassal was gone when a request came; forking another")]
        public static partial void GoneAtRequest(ILogger logger);

        [LoggerMessage(3503, LogLevel.Error, "the spare vassal {Pid} did not report ready within {Timeout} s: killed")]
        public static partial void NotReady(ILogger logger, string pid, double timeout);

        [LoggerMessage(3504, LogLevel.Debug, "spare vassal {Pid} waits for a request")]
        public static partial void Waiting(ILogger logger, int pid);

        [LoggerMessage(3505, LogLevel.Warning, "the spare vassal died before any request; the next adoption request forks another")]
        public static partial void DiedBeforeRequest(ILogger logger);
    }
}
