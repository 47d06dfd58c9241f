using ForkServer.Abstractions;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Http.RequestLog;

namespace ForkServer.Kernel.Vassal;

/// <summary>The options a vassal's master and workers act on, read and checked once.</summary>
internal sealed record VassalSettings(
    VassalSocket Socket,
    int Processes,
    int ListenBacklog,
    string? Uid,
    string? Gid,
    HttpLimits Limits,
    TimeSpan WorkerMercy,
    TimeSpan WorkerReadyDeadline,
    TimeSpan Heartbeat,
    WorkerLifecycle Lifecycle,
    RequestLogSettings? RequestLog = null)
{
    /// <summary>Reads the settings; a missing or out-of-range value throws <see cref="StartupException"/> naming where it was set.</summary>
    public static VassalSettings From(IOptionValues options)
    {
        var socket = VassalSocket.From(options);
        int processes = (int)Positive(options, "processes", 1, max: 1024);
        var defaults = new HttpLimits();
        var limits = defaults with
        {
            MaxHeaderBytes = (int)Positive(options, "buffer-size", defaults.MaxHeaderBytes, max: 1024 * 1024),
            MaxBodyBytes = Positive(options, "limit-post", defaults.MaxBodyBytes, max: long.MaxValue),
            WriteTimeoutSeconds = (int)Positive(options, "socket-timeout", defaults.WriteTimeoutSeconds, max: 3600),
            PostBufferingBytes = InRange(options, "post-buffering", defaults.PostBufferingBytes, min: 0, max: Array.MaxLength),
        };

        // A body of the post-buffering size always fits in memory, however large the setting.
        limits = limits with { MaxBufferedBodyBytes = Math.Max(defaults.MaxBufferedBodyBytes, limits.PostBufferingBytes) };
        return new VassalSettings(
            socket,
            processes,
            (int)Positive(options, "listen", 100, max: 65535),
            options.GetValue("uid"),
            options.GetValue("gid"),
            limits,
            TimeSpan.FromSeconds(Positive(options, "worker-reload-mercy", 60, max: 86400)),
            TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(InRange(options, "heartbeat", 0, min: 0, max: 86400)),
            new WorkerLifecycle(
                TimeSpan.FromSeconds(InRange(options, "harakiri", 0, min: 0, max: 86400)),
                options.GetFlag("harakiri-verbose"),
                InRange(options, "max-requests", 0, min: 0, max: long.MaxValue),
                TimeSpan.FromSeconds(InRange(options, "max-worker-lifetime", 0, min: 0, max: 100L * 365 * 86400)),
                InRange(options, "reload-on-rss", 0, min: 0, max: 1024L * 1024) * 1024 * 1024,
                TimeSpan.FromSeconds(InRange(options, "min-worker-lifetime", 10, min: 0, max: 86400)),
                options.GetFlag("lazy-apps")),
            RequestLogOf(options));
    }

    /// <summary>The request log a worker writes: uWSGI's line per request unless <c>disable-logging</c>.</summary>
    private static RequestLogSettings? RequestLogOf(IOptionValues options)
    {
        if (options.GetFlag("disable-logging"))
        {
            return null;
        }

        // log-date is a flag or a strftime format in uWSGI; a format also dates %(ftime).
        string? dateFormat = options.GetValue("log-date") is { } date && date.Contains('%') ? date : null;
        return new RequestLogSettings(
            options.GetValue("log-format") is { Length: > 0 } format ? RequestLogFormat.Parse(format) : null,
            options.GetFlag("log-x-forwarded-for"),
            dateFormat);
    }

    private static long Positive(IOptionValues options, string name, long defaultValue, long max)
        => InRange(options, name, defaultValue, min: 1, max);

    private static long InRange(IOptionValues options, string name, long defaultValue, long min, long max)
    {
        long value = options.GetInteger(name, defaultValue);
        return value >= min && value <= max
            ? value
            : throw new StartupException($"{options.DescribeSource(name)}: {name} must be between {min} and {max}, got {value}");
    }
}

/// <summary>When a worker is replaced although it did not crash (uWSGI's names; 0 or zero: never).</summary>
/// <param name="Harakiri">A worker stuck in one request longer than this is killed (SIGKILL) and replaced.</param>
/// <param name="HarakiriVerbose">A harakiri also logs what the worker was doing in the kernel (/proc/PID/syscall, wchan).</param>
/// <param name="MaxRequests">A worker that served this many requests finishes them and exits; it is replaced at once.</param>
/// <param name="MaxLifetime">A worker older than this is replaced gracefully.</param>
/// <param name="ReloadOnRssBytes">A worker whose resident memory exceeds this is replaced gracefully.</param>
/// <param name="MinLifetime">No worker younger than this is replaced for <paramref name="MaxRequests"/> or <paramref name="ReloadOnRssBytes"/>.</param>
/// <param name="LazyApps">Each worker loads the application after its fork, the master does not (classic vassals).</param>
internal sealed record WorkerLifecycle(
    TimeSpan Harakiri,
    bool HarakiriVerbose,
    long MaxRequests,
    TimeSpan MaxLifetime,
    long ReloadOnRssBytes,
    TimeSpan MinLifetime,
    bool LazyApps);
