using ForkServer.Abstractions;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Display;

namespace ForkServer.Kernel.Logging;

/// <summary>Builds the Serilog pipeline every ForkServer process logs through.</summary>
/// <remarks>
/// Events are source-generated <c>[LoggerMessage]</c> methods in each type's <c>.Log.cs</c> partial, with ids from
/// one range per component; the ranges are listed in docs/architecture.md#logging.
/// </remarks>
internal static partial class KernelLogging
{
    private const string UndatedTemplate = "[{Level:u3}] [pid {Pid}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
    private const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} " + UndatedTemplate;

    /// <summary>The environment variable that sets the default of <c>log-level</c> (the tests ask for debug lines with it).</summary>
    public const string LevelVariable = "FORKSERVER_LOG_LEVEL";

    // Information unless asked for: debug lines (per-request refusals, JIT counts...) are for whoever looks into a problem.
    private static readonly LoggingLevelSwitch s_level = new(ParseLevel(Environment.GetEnvironmentVariable(LevelVariable)) ?? LogEventLevel.Information);

    /// <summary>Creates the logger factory. Events go to standard error, which <see cref="RedirectTo"/> may point at a file.</summary>
    public static ILoggerFactory Create()
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(s_level)
            .Enrich.With(new ProcessIdEnricher())
            .WriteTo.Sink(new StandardErrorSink(new MessageTemplateTextFormatter(Template), new MessageTemplateTextFormatter(UndatedTemplate)))
            .CreateLogger();
        return new SerilogLoggerFactory(logger, dispose: true);
    }

    /// <summary>
    /// The same pipeline with no sink: events are built and enriched as by <see cref="Create"/>, then dropped. For
    /// rehearsing log events before a fork (<see cref="Warmup.LogEventRehearsal"/>).
    /// </summary>
    public static ILoggerFactory CreateSilent()
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.With(new ProcessIdEnricher())
            .CreateLogger();
        return new SerilogLoggerFactory(logger, dispose: true);
    }

    /// <summary>
    /// <c>logto = file</c>: as in uWSGI, standard output and standard error are redirected to the file (opened for
    /// appending), so what the application prints lands beside the server's own events, from every process.
    /// </summary>
    public static void RedirectTo(string path) => StandardStreams.RedirectTo(path);

    /// <summary>
    /// <c>log-level</c> (debug, info, warning, error): the least severe event every logger of this process writes from
    /// now on. A forked child inherits it, and applies its own option if it has one.
    /// </summary>
    /// <returns>False when <paramref name="level"/> names no level.</returns>
    public static bool TrySetLevel(string level)
    {
        if (ParseLevel(level) is not { } parsed)
        {
            return false;
        }

        s_level.MinimumLevel = parsed;
        return true;
    }

    /// <summary>
    /// <c>log-date</c>: a strftime format (<c>%Y-%m-%dT%H:%M:%S</c>) dates every server line of this process instead of
    /// the default date; <c>true</c>/<c>false</c> keep the default (server lines are always dated).
    /// </summary>
    public static void SetDateFormat(string? value)
        => StandardErrorSink.DateFormat = value is not null && value.Contains('%') ? value : null;

    private static LogEventLevel? ParseLevel(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "debug" => LogEventLevel.Debug,
        "info" or "information" => LogEventLevel.Information,
        "warning" or "warn" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        _ => null,
    };

    /// <summary>
    /// Reopens the <c>logto</c> file by its name (SIGUSR2, after logrotate moved it): standard output and standard
    /// error point at the file now at that path. Each process must do it itself: a worker's descriptors are its own
    /// copies, which the master's dup2 does not touch. On failure the old file stays in use.
    /// </summary>
    /// <returns>False when the process logs to no file.</returns>
    public static bool Reopen(IOptionValues options, Microsoft.Extensions.Logging.ILogger log)
    {
        if (options.GetValue("logto") is not { } path)
        {
            return false;
        }

        try
        {
            RedirectTo(path);
            Log.Reopened(log, path);
        }
        catch (PosixException e)
        {
            Log.ReopenFailed(log, path, e.Message);
        }

        return true;
    }
}
