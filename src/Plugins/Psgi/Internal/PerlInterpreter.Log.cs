using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi.Internal;

/// <content>Log events of the interpreter (ids 5010–5019).</content>
internal sealed partial class PerlInterpreter
{
    private static partial class Log
    {
        [LoggerMessage(5010, LogLevel.Error, "The PSGI glue failed: {PerlError}")]
        public static partial void GlueFailed(ILogger logger, string perlError);
    }
}
