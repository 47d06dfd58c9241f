using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>The spare worker's log events, in its own process (ids 3651–3699).</summary>
internal sealed partial class SpareWorkerProcess
{
    /// <summary>Log events of a spare worker before it serves as worker 1.</summary>
    private static partial class Log
    {
        [LoggerMessage(3651, LogLevel.Error, "its master's message is unreadable or its master is gone: {Error}")]
        public static partial void MasterUnreachable(ILogger logger, string error);

        [LoggerMessage(3652, LogLevel.Warning, "{Application} could not prepare to serve, it will start cold: {Error}")]
        public static partial void PrepareToServeFailed(ILogger logger, string application, string error);

        [LoggerMessage(3653, LogLevel.Debug, "cannot start ({Error}); its master starts worker 1 itself")]
        public static partial void CannotStart(ILogger logger, string error);
    }
}
