using ForkServer.Abstractions;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Asks the plugins' loaders for the application, phase by phase. A vassal serves exactly one application;
/// the first phase that yields one wins.
/// </summary>
internal sealed partial class ApplicationLoader(IReadOnlyList<IForkServerPlugin> plugins, IOptionValues options, ILoggerFactory logging)
{
    private readonly ILogger _log = logging.CreateLogger("loader");

    /// <summary>The application loaded so far, if any.</summary>
    public IPreloadedApplication? Application { get; private set; }

    /// <summary>Runs every plugin's loader for <paramref name="phase"/> unless an application is already loaded.</summary>
    public void Load(LoadPhase phase)
    {
        if (Application is not null)
        {
            return;
        }

        var context = new LoadContext(phase, options, logging);
        foreach (var plugin in plugins)
        {
            long started = Environment.TickCount64;
            var application = plugin.Loader.Load(context);
            if (application is null)
            {
                continue;
            }

            if (Application is not null)
            {
                throw new StartupException($"two applications configured: {Application.Description} and {application.Description}; a vassal serves one");
            }

            Application = application;
            Log.Loaded(_log, application.Description, phase.ToString().ToLowerInvariant(), Environment.TickCount64 - started, plugin.Name);
        }
    }

    /// <summary>The loaded application, or a clear error when no option named one.</summary>
    public IPreloadedApplication Require()
        => Application ?? throw new StartupException(plugins.Count == 0
            ? "no plugin loaded: set plugins = psgi (or another loader) and the option naming the application"
            : $"no application configured for plugin(s) {string.Join(", ", plugins.Select(p => p.Name))}: set, for example, psgi = app.psgi");
}
