using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>The stats socket's log events (ids 2900–2999).</summary>
internal sealed partial class EmperorStatsServer
{
    /// <summary>Log events of the stats server and its connections.</summary>
    internal static partial class Log
    {
        [LoggerMessage(2901, LogLevel.Information, "Emperor stats on {Address} (HTTP: {StatsHttp})")]
        public static partial void Listening(ILogger logger, string address, bool statsHttp);

        [LoggerMessage(2902, LogLevel.Error, "Accepting on stats socket {Address} failed: {Error} (errno {Errno}); paused for a second")]
        public static partial void AcceptFailed(ILogger logger, string address, int errno, string error);

        [LoggerMessage(2903, LogLevel.Warning, "Setting up stats connection fd {Fd} failed; closed")]
        public static partial void ConnectionFailed(ILogger logger, Exception exception, int fd);

        [LoggerMessage(2904, LogLevel.Error, "Building the stats snapshot failed; the client gets no document")]
        public static partial void SnapshotFailed(ILogger logger, Exception exception);

        [LoggerMessage(2905, LogLevel.Debug, "Stats client on fd {Fd} sent more than {MaxBytes} bytes without ending its request; dropped")]
        public static partial void RequestTooLarge(ILogger logger, int fd, int maxBytes);

        [LoggerMessage(2906, LogLevel.Debug, "Stats client on fd {Fd} did not complete its request within {Seconds} s; dropped")]
        public static partial void RequestTimedOut(ILogger logger, int fd, long seconds);

        [LoggerMessage(2907, LogLevel.Debug, "Stats client on fd {Fd} went away during {Operation} (errno {Errno})")]
        public static partial void ClientGone(ILogger logger, int fd, string operation, int errno);
    }
}
