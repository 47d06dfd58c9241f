using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi.Internal;

/// <content>Log events of Perl's output.</content>
internal sealed partial class PerlOutput
{
    private static class Log
    {
        private static readonly Action<ILogger, string, Exception?> s_perlOutput = LoggerMessage.Define<string>(
            LogLevel.Warning, new EventId(1, "PerlOutput"), "{PerlMessage}");

        private static readonly Action<ILogger, Exception?> s_callbackFailed = LoggerMessage.Define(
            LogLevel.Error, new EventId(2, "ResponseCallbackFailed"), "Writing the PSGI response failed; the application was told to stop");

        public static void PerlOutput(ILogger logger, string message) => s_perlOutput(logger, message, null);

        public static void CallbackFailed(ILogger logger, Exception exception) => s_callbackFailed(logger, exception);
    }
}
