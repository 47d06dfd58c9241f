using ForkServer.Abstractions;
using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// A vassal's master: forks the workers, respawns those that die, and turns signals into stops and reloads. It
/// runs a single-threaded event loop so that it stays fork-safe for its whole life (every respawn is a fork).
/// </summary>
/// <remarks>
/// Signals: SIGTERM or SIGINT stop gracefully (workers finish their requests, then the master exits 0; a second
/// one stops brutally), SIGQUIT stops brutally, SIGHUP replaces every worker with a fresh one without refusing
/// connections (the listening socket stays open), SIGUSR1 logs the workers. Under an Emperor the master also
/// reports ready (byte 1) before forking workers and sends heartbeats, and obeys the Emperor's commands: stop
/// (brutal), graceful stop, reload (graceful stop, then <see cref="MasterOutcome.Reload"/>); losing the Emperor
/// stops it gracefully.
/// </remarks>
internal sealed partial class VassalMaster : IDisposable
{
    private readonly VassalSettings _settings;
    private readonly ListeningSocket _listener;
    private readonly IPreloadedApplication _application;
    private readonly IOptionValues _options;
    private readonly ILoggerFactory _logging;
    private readonly ILogger _log;
    private readonly EventLoop _loop = new();
    private readonly SignalFd _signals = ControlledSignals.CreateSignalFd();
    private readonly Dictionary<int, WorkerRecord> _workers = new();
    private readonly int _pid = ProcessCalls.GetPid();
    private readonly EmperorLink? _emperor;
    private SpareWorker? _spareWorker;
    private long _nextHeartbeat = long.MaxValue;
    private bool _stopping;
    private MasterOutcome _outcome = MasterOutcome.Stopped;

    public VassalMaster(VassalSettings settings, ListeningSocket listener, IPreloadedApplication application, IOptionValues options, ILoggerFactory logging, EmperorLink? emperor, SpareWorker? spareWorker = null)
    {
        _emperor = emperor;
        _spareWorker = spareWorker;
        _settings = settings;
        _listener = listener;
        _application = application;
        _options = options;
        _logging = logging;
        _log = logging.CreateLogger("master");
    }

    /// <summary>
    /// Runs once a reload from the Emperor has told every worker to stop, while they finish their requests: none
    /// accepts any more, so the listening socket can serve the vassal's next process already (an adopted vassal
    /// hands it to the Emperor here).
    /// </summary>
    public Action? OnReload { get; init; }

    /// <summary>
    /// On a reload, <see cref="Run"/> returns as soon as the workers were told to stop, leaving them to finish their
    /// requests (<see cref="Retiring"/>): a classic vassal's re-executed image takes them over.
    /// </summary>
    public bool ReturnOnReload { get; init; }

    /// <summary>Workers of the previous image still finishing their requests: supervised until they exit.</summary>
    public IReadOnlyList<RetiringWorker> Inherited { get; init; } = [];

    /// <summary>The workers still finishing their requests when <see cref="Run"/> returned.</summary>
    public IReadOnlyList<RetiringWorker> Retiring()
        => _workers.Values.Select(w => new RetiringWorker(w.Slot, w.Pid, w.KillAt ?? Environment.TickCount64)).ToList();

    /// <summary>Forks the workers and supervises them until the vassal is stopped; says what to do next.</summary>
    public MasterOutcome Run()
    {
        _loop.Add(_signals.Fd, EventLoop.Readable, _ => OnSignals());
        Log.Serving(_log, _pid, _application.Description, _listener.Url, _settings.Processes);
        if (_options.GetValue("cheaper") is { } cheaper)
        {
            Log.CheaperIgnored(_log, cheaper, _settings.Processes);
        }

        if (_emperor is not null)
        {
            _loop.Add(_emperor.Fd, EventLoop.Readable, _ => OnEmperorCommands());
            _emperor.Report(VassalReport.Ready);
            if (_settings.Heartbeat > TimeSpan.Zero)
            {
                // The first beat goes with the ready report: the Emperor checks heartbeats only once it had one.
                _nextHeartbeat = Environment.TickCount64;
                SendHeartbeat();
            }
        }

        foreach (var retiring in Inherited)
        {
            TakeOver(retiring);
        }

        for (int slot = 1; slot <= _settings.Processes; slot++)
        {
            if (slot > 1 || !StartSpareWorker())
            {
                SpawnWorker(slot);
            }
        }

        while (IsSupervising)
        {
            _loop.RunOnce(NextTimeoutMs());
            EnforceDeadlines();
            SendHeartbeat();
        }

        _application.Shutdown();
        Log.Stopped(_log, _pid, _outcome.ToString());
        return _outcome;
    }

    // After a stop, until the last worker is gone; after a reload that leaves them to the next image, no longer.
    private bool IsSupervising => !_stopping || (_workers.Count > 0 && !(ReturnOnReload && _outcome == MasterOutcome.Reload));

    public void Dispose()
    {
        foreach (var worker in _workers.Values)
        {
            worker.Dispose();
        }

        _spareWorker?.Dispose();
        _signals.Dispose();
        _loop.Dispose();
    }

    private void SendHeartbeat()
    {
        if (Environment.TickCount64 >= _nextHeartbeat && !_stopping)
        {
            _emperor!.Report(VassalReport.Heartbeat);
            _nextHeartbeat = Environment.TickCount64 + (long)_settings.Heartbeat.TotalMilliseconds;
        }
    }

    /// <summary>
    /// In a freshly forked worker: closes the master's own descriptors (event loop, signalfd, other workers'
    /// pidfds and pipes) so a worker holds nothing of the master but the listening socket. Nor the Emperor link
    /// above all: the application would read the Emperor's commands before the master, or send reports in its name.
    /// </summary>
    private void ReleaseInChild()
    {
        _emperor?.Dispose();
        Dispose();
    }
}
