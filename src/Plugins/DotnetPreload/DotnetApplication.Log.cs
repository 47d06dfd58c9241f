using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.DotnetPreload;

/// <content>Log events of the application's life in a worker (ids 6030–6039).</content>
internal sealed partial class DotnetApplication
{
    private static partial class Log
    {
        [LoggerMessage(6030, LogLevel.Information, "{Application} started in worker {WorkerId}: Kestrel serves listening socket fd {Fd}")]
        public static partial void Serving(ILogger logger, string application, int workerId, int fd);

        [LoggerMessage(6031, LogLevel.Debug, "the host's start took {Milliseconds} ms and JIT-compiled {Methods} method(s) in this worker")]
        public static partial void StartCompiled(ILogger logger, long milliseconds, long methods);

        [LoggerMessage(6032, LogLevel.Debug, "the host's start and first response JIT-compiled {Methods} method(s) in this worker")]
        public static partial void FirstRequestCompiled(ILogger logger, long methods);

        [LoggerMessage(6033, LogLevel.Debug, "a throwaway server started, served and stopped in {Milliseconds} ms, JIT-compiling {Methods} method(s), before this worker's adoption")]
        public static partial void ServingRehearsed(ILogger logger, long milliseconds, long methods);
    }
}
