using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel;

/// <summary>The command's own log events (ids 4501–4509).</summary>
internal static partial class Program
{
    /// <summary>Log events of the <c>forkserver</c> command before it becomes an Emperor, a base or a vassal.</summary>
    private static partial class Log
    {
        // The message is the whole line: it already says what failed and which option or file is at fault.
        [LoggerMessage(4501, LogLevel.Critical, "{Error}")]
        public static partial void CannotStart(ILogger logger, string error);
    }
}
