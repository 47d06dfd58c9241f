using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Forking;

/// <summary>The intermediate reaper's log events (ids 3911–3919).</summary>
internal sealed partial class IntermediateReaper
{
    /// <summary>Log events of the intermediate children of double forks.</summary>
    private static partial class Log
    {
        [LoggerMessage(3911, LogLevel.Error, "the intermediate child {Pid} forked for {What} did not exit within {Timeout} s: killed")]
        public static partial void Stuck(ILogger logger, int pid, string what, double timeout);

        [LoggerMessage(3912, LogLevel.Error, "the second fork for {What} failed: intermediate child {Pid} ended with {Status}")]
        public static partial void SecondForkFailed(ILogger logger, string what, int pid, ExitStatus status);
    }
}
