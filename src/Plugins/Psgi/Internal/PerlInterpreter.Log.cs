using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi.Internal;

/// <content>Log events of the interpreter.</content>
internal sealed partial class PerlInterpreter
{
    private static class Log
    {
        private static readonly Action<ILogger, string, Exception?> s_glueFailed = LoggerMessage.Define<string>(
            LogLevel.Error, new EventId(10, "GlueFailed"), "The PSGI glue failed: {PerlError}");

        public static void GlueFailed(ILogger logger, string error) => s_glueFailed(logger, error, null);
    }
}
