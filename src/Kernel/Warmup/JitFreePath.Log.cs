using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Warmup;

/// <summary>The JIT-free path's log events (ids 3900–3999), read by the end-to-end test that enforces it.</summary>
internal static partial class JitFreePath
{
    internal static partial class Log
    {
        [LoggerMessage(3901, LogLevel.Debug, "JIT-free path: master ready, {Count} method(s) compiled since the pid reply")]
        public static partial void MasterReady(ILogger logger, long count);

        [LoggerMessage(3902, LogLevel.Debug, "JIT-free path: worker {Slot} sent its first response, {Count} method(s) compiled since it started")]
        public static partial void FirstResponse(ILogger logger, int slot, long count);
    }
}
