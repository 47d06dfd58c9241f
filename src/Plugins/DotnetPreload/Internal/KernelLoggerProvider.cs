using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// The application's logging, sent to the kernel's log (stderr or <c>logto</c>, with the pid of the process that
/// logs) in place of the console logger, whose queue thread would be started in the base and lost at fork. The
/// application's own level filters (<c>Logging:LogLevel</c> in appsettings.json) still apply.
/// </summary>
internal sealed class KernelLoggerProvider(ILoggerFactory kernelLogging) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => kernelLogging.CreateLogger(categoryName);

    public void Dispose()
    {
        // The kernel owns its logging; the application's host must not close it.
    }
}
