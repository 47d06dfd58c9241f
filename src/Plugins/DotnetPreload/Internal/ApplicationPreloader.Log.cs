using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <content>Log events of the preload in the base (ids 6040–6049).</content>
internal static partial class ApplicationPreloader
{
    private static partial class Log
    {
        [LoggerMessage(6040, LogLevel.Information, "{Application} preloaded in {Milliseconds} ms: host built, {Hooks} preload hook(s) run, {Methods} method(s) of its own and {WorkerPath} of the workers' Kestrel path compiled ({Unresolved} recorded not found), {Heap} MB on the heap")]
        public static partial void Preloaded(ILogger logger, string application, long milliseconds, int hooks, int methods, int workerPath, int unresolved, long heap);

        [LoggerMessage(6041, LogLevel.Debug, "{Application}: recorded method not found, left to the workers: {Method}")]
        public static partial void RecordedMethodNotFound(ILogger logger, string application, string method);

        [LoggerMessage(6042, LogLevel.Warning, "{Application}: the warm-up request {Path} did not complete synchronously; workers will compile the request path themselves")]
        public static partial void WarmUpNotSynchronous(ILogger logger, string application, string path);
    }
}
