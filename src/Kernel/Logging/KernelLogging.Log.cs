using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Logging;

/// <summary>The log file's events (ids 4530–4539).</summary>
internal static partial class KernelLogging
{
    private static partial class Log
    {
        [LoggerMessage(4530, LogLevel.Information, "log file {Path} reopened")]
        public static partial void Reopened(ILogger logger, string path);

        [LoggerMessage(4531, LogLevel.Error, "cannot reopen log file {Path}: {Error}; still logging to the old one")]
        public static partial void ReopenFailed(ILogger logger, string path, string error);
    }
}
