using ForkServer.Abstractions;
using ForkServer.Kernel.Http;

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
    TimeSpan Heartbeat)
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
            TimeSpan.FromSeconds(InRange(options, "heartbeat", 0, min: 0, max: 86400)));
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
