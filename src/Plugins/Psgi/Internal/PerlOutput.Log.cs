using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi.Internal;

/// <content>Log events of Perl's output (ids 5001–5009).</content>
internal sealed partial class PerlOutput
{
    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Warning, "{PerlMessage}")]
        public static partial void PerlOutput(ILogger logger, string perlMessage);

        [LoggerMessage(5002, LogLevel.Error, "Writing the PSGI response failed; the application was told to stop", EventName = "ResponseCallbackFailed")]
        public static partial void CallbackFailed(ILogger logger, Exception exception);
    }
}
