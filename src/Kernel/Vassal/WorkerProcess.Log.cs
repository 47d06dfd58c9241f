using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>A worker's own log events (ids 3048–3049).</summary>
internal sealed partial class WorkerProcess
{
    private static partial class Log
    {
        [LoggerMessage(3048, LogLevel.Error, "worker {Slot} cannot load the application (lazy-apps): {Error}")]
        public static partial void LazyLoadFailed(ILogger logger, int slot, string error);
    }
}
