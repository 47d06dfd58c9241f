using ForkServer.Abstractions;
using ForkServer.Kernel.Vassal;

namespace ForkServer.Kernel.Emperor;

/// <summary>The options an Emperor acts on, with uWSGI's defaults (docs/protocol.md#options-and-defaults).</summary>
internal sealed record EmperorSettings(
    IReadOnlyList<string> Monitors,
    TimeSpan ScanInterval,
    TimeSpan ThrottleStep,
    TimeSpan MaxThrottle,
    TimeSpan CurseTolerance,
    TimeSpan RequiredHeartbeat,
    TimeSpan ReadyDeadline,
    TimeSpan ReloadMercy,
    bool NoBlacklist,
    bool GracefulShutdown,
    string? StatsAddress,
    bool StatsHttp,
    string? Wrapper,
    string? ForkServer,
    IReadOnlySet<string> ForkBases,
    TimeSpan SocketTimeout)
{
    /// <summary>Reads the settings; an out-of-range value throws <see cref="StartupException"/> naming where it was set.</summary>
    public static EmperorSettings From(IOptionValues options) => new(
        options.GetValues("emperor"),
        Seconds(options, "emperor-freq", 3),
        TimeSpan.FromMilliseconds(Positive(options, "emperor-throttle", 1000)),
        TimeSpan.FromMilliseconds(Positive(options, "emperor-max-throttle", 180_000)),
        Seconds(options, "emperor-curse-tolerance", 30),
        Seconds(options, "emperor-required-heartbeat", 30),
        Seconds(options, "emperor-ready-timeout", 60),
        Seconds(options, "reload-mercy", 30),
        options.GetFlag("emperor-no-blacklist"),
        options.GetFlag("emperor-graceful-shutdown"),
        options.GetValue("emperor-stats"),
        options.GetFlag("stats-http"),
        options.GetValue("emperor-wrapper"),
        options.GetValue("emperor-use-fork-server"),
        options.GetValues("vassal-fork-base").ToHashSet(StringComparer.Ordinal),
        Seconds(options, "socket-timeout", 4));

    private static TimeSpan Seconds(IOptionValues options, string name, long defaultValue)
        => TimeSpan.FromSeconds(Positive(options, name, defaultValue));

    private static long Positive(IOptionValues options, string name, long defaultValue)
    {
        long value = options.GetInteger(name, defaultValue);
        return value is >= 1 and <= 86_400_000
            ? value
            : throw new StartupException($"{options.DescribeSource(name)}: {name} must be a positive number, got {value}");
    }
}
