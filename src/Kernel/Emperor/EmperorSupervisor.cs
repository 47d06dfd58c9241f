using ForkServer.Kernel.Emperor.Monitoring;
using ForkServer.Kernel.Emperor.Stats;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Emperor;

/// <summary>
/// The Emperor: one vassal per ini file in the monitored folders, spawned, watched and stopped as uWSGI's
/// Emperor does (docs/protocol.md), speaking the same control-byte protocol so that uWSGI vassals and
/// ForkServer vassals are interchangeable.
/// </summary>
/// <remarks>
/// Everything runs on one thread around an epoll loop that never blocks: inotify reports files within
/// milliseconds (the periodic rescan is only a safety net), vassals are started with posix_spawn (no managed
/// code is ever forked here), exits are seen on pidfds, and throttled respawns are timers, not sleeps — a
/// hundred files dropped at once all spawn at once. Signals: SIGTERM, SIGINT or SIGQUIT stop every vassal
/// (SIGKILL after <c>reload-mercy</c>), SIGHUP reloads them all, SIGUSR1 logs their state.
/// </remarks>
internal sealed partial class EmperorSupervisor : IDisposable
{
    private readonly EmperorSettings _settings;
    private readonly ILoggerFactory _logging;
    private readonly ILogger _log;
    private readonly EventLoop _loop = new();
    private readonly SignalFd _signals = ControlledSignals.CreateSignalFd();
    private readonly Dictionary<string, VassalInstance> _vassals = new(StringComparer.Ordinal);
    private readonly List<VassalMonitor> _monitors = new();
    private readonly Blacklist _blacklist;

    // Fds that came with the report being read; reused, as reports arrive all the time (heartbeats).
    private readonly List<int> _receivedFds = new();
    private readonly VassalCommandLine _commandLine;
    private EmperorStatsServer? _stats;
    private bool _stopping;
    private long _killAllAt = long.MaxValue;

    public EmperorSupervisor(EmperorSettings settings, ILoggerFactory logging)
    {
        _settings = settings;
        _logging = logging;
        _log = logging.CreateLogger("emperor");
        _blacklist = new Blacklist(settings.ThrottleStep, settings.MaxThrottle);
        _commandLine = new VassalCommandLine(settings.Wrapper);
    }

    /// <summary>Supervises until stopped by a signal; returns the exit code.</summary>
    public int Run()
    {
        _loop.Add(_signals.Fd, EventLoop.Readable, _ => OnSignals());
        if (_settings.ForkServer is not null)
        {
            // Adopted vassals are grandchildren of a base: orphaned by its short-lived middle child, they must be
            // re-parented to us, not to init, for their exits to be ours to reap.
            ProcessCalls.SetChildSubreaper();
        }

        if (_settings.StatsAddress is { } address)
        {
            _stats = new EmperorStatsServer(_loop, address, _settings.StatsHttp, Snapshot, _logging.CreateLogger("emperor-stats"));
            try
            {
                _stats.Start();
            }
            catch (Exception e) when (e is PosixException or FormatException or ArgumentException)
            {
                throw new StartupException($"cannot serve emperor-stats on {address}: {e.Message}", e);
            }
            Log.StatsListening(_log, address);
        }

        foreach (string spec in _settings.Monitors)
        {
            _monitors.Add(new VassalMonitor(_loop, spec, OnFileEvent, _logging.CreateLogger("monitor")));
        }

        Log.Watching(_log, ProcessCalls.GetPid(), string.Join(", ", _settings.Monitors));
        foreach (var monitor in _monitors)
        {
            monitor.Start();
        }

        long nextScan = Environment.TickCount64 + (long)_settings.ScanInterval.TotalMilliseconds;
        while (!_stopping || _retiring.Count > 0 || _vassals.Values.Any(v => v.Process is not null || v.Adoption is not null))
        {
            _loop.RunOnce(NextTimeoutMs(nextScan));
            long now = Environment.TickCount64;
            if (!_stopping && now >= nextScan)
            {
                foreach (var monitor in _monitors)
                {
                    monitor.Rescan();
                }

                nextScan = now + (long)_settings.ScanInterval.TotalMilliseconds;
            }

            EnforceDeadlines();
        }

        Log.Buried(_log);
        return 0;
    }

    public void Dispose()
    {
        foreach (var vassal in _vassals.Values)
        {
            vassal.Process?.Dispose();
        }

        foreach (var retiring in _retiring)
        {
            retiring.Process.Dispose();
        }

        foreach (var monitor in _monitors)
        {
            monitor.Dispose();
        }

        _stats?.Dispose();
        _signals.Dispose();
        _loop.Dispose();
    }

    private int NextTimeoutMs(long nextScan)
    {
        long now = Environment.TickCount64;
        long next = Math.Min(Math.Min(nextScan, _killAllAt), Math.Min(now + 1000, _adoptionRetryAt ?? long.MaxValue));
        foreach (var vassal in _vassals.Values)
        {
            if (vassal.SpawnAt is { } at)
            {
                next = Math.Min(next, at);
            }
        }

        return (int)Math.Clamp(next - now, 0, 1000);
    }
}
