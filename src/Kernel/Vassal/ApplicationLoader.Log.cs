using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>The application loader's log events (ids 3201–3249).</summary>
internal sealed partial class ApplicationLoader
{
    /// <summary>Log events of loading the application.</summary>
    private static partial class Log
    {
        [LoggerMessage(3201, LogLevel.Information, "{Application} loaded ({Phase}) in {Milliseconds} ms by plugin {Plugin}")]
        public static partial void Loaded(ILogger logger, string application, string phase, long milliseconds, string plugin);
    }
}
