using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.DotnetPreload;

/// <content>Log events of the application's life in a worker.</content>
internal sealed partial class DotnetApplication
{
    private static class Log
    {
        private static readonly Action<ILogger, string, int, int, Exception?> s_serving = LoggerMessage.Define<string, int, int>(
            LogLevel.Information, new EventId(30, "Serving"), "{Application} started in worker {WorkerId}: Kestrel serves listening socket fd {Fd}");

        private static readonly Action<ILogger, long, long, Exception?> s_startCompiled = LoggerMessage.Define<long, long>(
            LogLevel.Debug, new EventId(31, "StartCompiled"), "the host's start took {Milliseconds} ms and JIT-compiled {Methods} method(s) in this worker");

        private static readonly Action<ILogger, long, Exception?> s_firstRequestCompiled = LoggerMessage.Define<long>(
            LogLevel.Debug, new EventId(32, "FirstRequestCompiled"), "the host's start and first response JIT-compiled {Methods} method(s) in this worker");

        private static readonly Action<ILogger, long, long, Exception?> s_servingRehearsed = LoggerMessage.Define<long, long>(
            LogLevel.Debug, new EventId(33, "ServingRehearsed"), "a throwaway server started, served and stopped in {Milliseconds} ms, JIT-compiling {Methods} method(s), before this worker's adoption");

        public static void ServingRehearsed(ILogger logger, long milliseconds, long methods) => s_servingRehearsed(logger, milliseconds, methods, null);

        public static void StartCompiled(ILogger logger, long milliseconds, long methods) => s_startCompiled(logger, milliseconds, methods, null);

        public static void FirstRequestCompiled(ILogger logger, long methods) => s_firstRequestCompiled(logger, methods, null);

        public static void Serving(ILogger logger, string application, int workerId, int fd) => s_serving(logger, application, workerId, fd, null);
    }
}
