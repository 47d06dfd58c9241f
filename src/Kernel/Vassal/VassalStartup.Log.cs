using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>The vassal start-up's log events (ids 3101–3149; 4510 for the uWSGI options without effect).</summary>
internal sealed partial class VassalStartup
{
    /// <summary>Log events of a vassal's start-up: privileges, reloads and options without effect.</summary>
    private static partial class Log
    {
        [LoggerMessage(3101, LogLevel.Information, "reloading: re-executing with the same arguments")]
        public static partial void Reexecuting(ILogger logger);

        [LoggerMessage(3102, LogLevel.Information, "reloading: {Endpoint} handed over to the Emperor for the next adoption")]
        public static partial void HandedOver(ILogger logger, string endpoint);

        [LoggerMessage(3103, LogLevel.Warning, "reloading: the Emperor did not take {Endpoint}; it closes until the next adoption binds it")]
        public static partial void HandOverRefused(ILogger logger, string endpoint);

        [LoggerMessage(3047, LogLevel.Warning, "lazy-apps has no effect on {Application}: {Why}; its workers share it as forked")]
        public static partial void LazyAppsNotApplied(ILogger logger, string application, string why);

        [LoggerMessage(3110, LogLevel.Warning, "running as root: set uid and gid to drop privileges before serving")]
        public static partial void RunningAsRoot(ILogger logger);

        [LoggerMessage(3111, LogLevel.Warning, "privileges dropped to uid {Uid} gid {Gid}: {Reason}")]
        public static partial void PrivilegesDroppedBecause(ILogger logger, uint uid, uint gid, string reason);

        [LoggerMessage(3112, LogLevel.Warning, "staying root: {Source} says uid = {ConfiguredUid}")]
        public static partial void StayingRoot(ILogger logger, string source, string? configuredUid);

        [LoggerMessage(3113, LogLevel.Information, "privileges dropped to uid {Uid} gid {Gid}")]
        public static partial void PrivilegesDropped(ILogger logger, uint uid, uint gid);

        [LoggerMessage(4510, LogLevel.Information, "{Source}: '{Option}' has no effect in ForkServer: {Instead}")]
        public static partial void NoEffect(ILogger logger, string source, string option, string instead);
    }
}
