using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi;

/// <content>Log events of the application's life cycle.</content>
internal sealed partial class PsgiApplication
{
    private static class Log
    {
        private static readonly Action<ILogger, int, string, Exception?> s_afterForkFailed = LoggerMessage.Define<int, string>(
            LogLevel.Error, new EventId(20, "AfterForkFailed"), "Perl's after-fork hook failed in process {ProcessId}: {PerlError}");

        public static void AfterForkFailed(ILogger logger, int processId, string error) =>
            s_afterForkFailed(logger, processId, error, null);
    }
}
