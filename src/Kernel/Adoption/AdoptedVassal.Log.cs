using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>The adopted vassal's log events (ids 3601–3649).</summary>
internal sealed partial class AdoptedVassal
{
    /// <summary>Log events of an adopted vassal before it becomes a master.</summary>
    private static partial class Log
    {
        [LoggerMessage(3601, LogLevel.Error, "adoption of {Argv} abandoned: the Emperor did not take the pid reply ({Error})")]
        public static partial void PidReplyNotTaken(ILogger logger, string argv, string error);

        [LoggerMessage(3602, LogLevel.Critical, "adopted vassal {Argv} cannot start: {Error}")]
        public static partial void CannotStart(ILogger logger, string argv, string error);

        [LoggerMessage(3603, LogLevel.Warning, "the spare worker {Pid} is gone ({Error}): the master forks worker 1")]
        public static partial void SpareWorkerGone(ILogger logger, int pid, string error);
    }
}
