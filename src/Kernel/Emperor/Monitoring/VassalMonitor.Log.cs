using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>The vassal monitor's log events (ids 2100–2199).</summary>
internal sealed partial class VassalMonitor
{
    /// <summary>Log events of the vassal directory monitor.</summary>
    internal static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Warning, "Vassal directory {Directory} of monitor {Monitor} does not exist; watching for its creation")]
        public static partial void DirectoryMissing(ILogger logger, string directory, string monitor);

        [LoggerMessage(2102, LogLevel.Error, "Cannot watch vassal directory {Directory} of monitor {Monitor}; only rescans will see changes")]
        public static partial void WatchFailed(ILogger logger, Exception exception, string directory, string monitor);

        [LoggerMessage(2103, LogLevel.Information, "Watching vassal directory {Directory} for monitor {Monitor}")]
        public static partial void Watching(ILogger logger, string directory, string monitor);

        [LoggerMessage(2104, LogLevel.Warning, "Vassal directory {Directory} of monitor {Monitor} was removed or moved; its {Count} vassals are removed")]
        public static partial void DirectoryLost(ILogger logger, string directory, string monitor, int count);

        [LoggerMessage(2105, LogLevel.Warning, "The inotify queue of monitor {Monitor} overflowed; rescanning")]
        public static partial void QueueOverflowed(ILogger logger, string monitor);

        [LoggerMessage(2106, LogLevel.Warning, "Cannot stat {Path} for monitor {Monitor}: {Error} (errno {Errno}); left as it was")]
        public static partial void StatFailed(ILogger logger, string path, string monitor, int errno, string error);

        [LoggerMessage(2107, LogLevel.Warning, "Cannot list vassal directory {Directory} of monitor {Monitor}; known vassals left as they were")]
        public static partial void ScanFailed(ILogger logger, Exception exception, string directory, string monitor);

        [LoggerMessage(2108, LogLevel.Error, "Handling {Change} of vassal {Vassal} from monitor {Monitor} failed; monitoring goes on")]
        public static partial void CallbackFailed(ILogger logger, Exception exception, VassalFileChange change, string vassal, string monitor);

        [LoggerMessage(2109, LogLevel.Error, "Monitor {Monitor} failed; the next rescan retries")]
        public static partial void MonitorFailed(ILogger logger, Exception exception, string monitor);
    }
}
