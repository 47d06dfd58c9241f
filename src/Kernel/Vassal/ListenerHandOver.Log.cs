using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>The listener hand-over's log events (ids 3151–3199).</summary>
internal static partial class ListenerHandOver
{
    /// <summary>Log events of taking over the on-demand socket the Emperor passed.</summary>
    private static partial class Log
    {
        [LoggerMessage(3151, LogLevel.Warning, "the on-demand fd {Fd} from the Emperor is not usable ({Error}): binding {Spec}")]
        public static partial void OnDemandUnusable(ILogger logger, int fd, string error, string spec);

        [LoggerMessage(3152, LogLevel.Information, "listening on {Endpoint}, handed over by the previous process through the Emperor")]
        public static partial void TookOnDemand(ILogger logger, string endpoint);

        [LoggerMessage(3153, LogLevel.Information, "http-socket is now {Spec}: closing the handed-over {Endpoint}")]
        public static partial void OnDemandElsewhere(ILogger logger, string spec, string endpoint);
    }
}
