using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>The spare vassal's log events (ids 3420–3429).</summary>
internal sealed partial class SpareVassalProcess
{
    /// <summary>Log events of a spare vassal before it is adopted.</summary>
    private static partial class Log
    {
        [LoggerMessage(3420, LogLevel.Error, "spare vassal: the base's hand-over is unreadable: {Error}")]
        public static partial void HandOverUnreadable(ILogger logger, string error);

        [LoggerMessage(3421, LogLevel.Warning, "spare vassal: could not fork its spare worker ({Error}); its master will fork every worker")]
        public static partial void SpareWorkerForkFailed(ILogger logger, string error);
    }
}
