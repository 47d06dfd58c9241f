using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.DotnetPreload;

/// <content>Log events of the application's life in a worker.</content>
internal sealed partial class DotnetApplication
{
    private static class Log
    {
        private static readonly Action<ILogger, string, int, int, Exception?> s_serving = LoggerMessage.Define<string, int, int>(
            LogLevel.Information, new EventId(30, "Serving"), "{Application} started in worker {WorkerId}: Kestrel serves listening socket fd {Fd}");

        public static void Serving(ILogger logger, string application, int workerId, int fd) => s_serving(logger, application, workerId, fd, null);
    }
}
