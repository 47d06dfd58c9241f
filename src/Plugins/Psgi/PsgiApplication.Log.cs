using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi;

/// <content>Log events of the application's life cycle (ids 5020–5029).</content>
internal sealed partial class PsgiApplication
{
    private static partial class Log
    {
        [LoggerMessage(5020, LogLevel.Error, "Perl's after-fork hook failed in process {ProcessId}: {PerlError}")]
        public static partial void AfterForkFailed(ILogger logger, int processId, string perlError);
    }
}
