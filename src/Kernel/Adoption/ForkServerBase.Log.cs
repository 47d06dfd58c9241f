using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>The fork-server base's log events (ids 3401–3499).</summary>
internal sealed partial class ForkServerBase
{
    /// <summary>Log events of a base: its life and its adoption requests.</summary>
    private static partial class Log
    {
        [LoggerMessage(3401, LogLevel.Information, "fork server {Pid} ready on {Path} with {Application}")]
        public static partial void Ready(ILogger logger, int pid, string path, string application);

        [LoggerMessage(3402, LogLevel.Information, "fork server {Pid} stopped")]
        public static partial void Stopped(ILogger logger, int pid);

        [LoggerMessage(3403, LogLevel.Information, "fork server exiting: {Reason}")]
        public static partial void Exiting(ILogger logger, string reason);

        [LoggerMessage(3410, LogLevel.Error, "fork server accept failed (errno {Errno})")]
        public static partial void AcceptFailed(ILogger logger, int errno);

        [LoggerMessage(3411, LogLevel.Error, "adoption request refused: {Error}")]
        public static partial void RequestRefused(ILogger logger, string error);

        [LoggerMessage(3432, LogLevel.Warning, "adoption request for {Argv} from pid {Peer} dropped: the Emperor gave up on it before the base read it; nothing forked")]
        public static partial void GaveUp(ILogger logger, string argv, int peer);

        [LoggerMessage(3412, LogLevel.Information, "adopting {Argv} for pid {Peer} ({Count} fd(s))")]
        public static partial void Adopting(ILogger logger, string argv, int peer, int count);
    }
}
