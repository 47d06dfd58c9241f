using ForkServer.Abstractions;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Warmup;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// A base vassal (<c>fork-server = /path.socket</c>): loads the application early, then, instead of serving,
/// answers the Emperor's adoption requests on a unix socket by forking a copy of itself that becomes the
/// requested vassal (docs/protocol.md#what-a-base-does-with-a-request). Byte-compatible with uWSGI's fork server, with
/// its defects fixed (docs/uwsgi-defects.md): only the Emperor's uid (or root) may adopt (D7), every read and write is
/// time-bound (D1), and an adopted vassal holds no descriptor of the base (D2).
/// </summary>
/// <remarks>
/// Any byte from its own Emperor, or the Emperor going away, ends the base, as in uWSGI; so do SIGTERM and SIGINT.
/// Once its socket listens the base reports ready (byte 1) to its Emperor, which waits for that before it sends
/// adoptions (D4 in docs/uwsgi-defects.md); uWSGI's base never reports.
/// </remarks>
internal sealed partial class ForkServerBase(
    ApplicationLoader loader,
    IOptionValues options,
    ILoggerFactory logging,
    KernelConfiguration configuration,
    VassalLaunch launch)
{
    private readonly ILogger _log = logging.CreateLogger("fork-server");
    private bool _stopping;

    /// <summary>Serves adoption requests until told to stop; returns the exit code.</summary>
    public int Run()
    {
        loader.Load(LoadPhase.Early);
        var application = loader.Require();
        var timeout = TimeSpan.FromSeconds(options.GetInteger("socket-timeout", 4));
        new AdoptionWarmup(configuration, logging, timeout).Run(application);
        string path = options.GetValue("fork-server")!;
        using var emperor = launch.Emperor;
        using var loop = new EventLoop();
        using var signals = ControlledSignals.CreateSignalFd();
        using var listener = Bind(path);
        using var intermediates = new IntermediateReaper(loop, _log);
        using var spares = new SpareSupply(
            loop,
            intermediates,
            (channel, requested) => new SpareVassalProcess(channel, requested, Release, application, configuration, logging, timeout).Run(),
            application.PrepareForFork,
            _log);
        loop.Add(signals.Fd, EventLoop.Readable, _ => OnSignals(signals));
        if (emperor is not null)
        {
            loop.Add(emperor.Fd, EventLoop.Readable, _ => OnEmperor(emperor, loop));
        }

        WatchConnections(loop, listener, spares, timeout);
        spares.Replenish();
        Log.Ready(_log, ProcessCalls.GetPid(), listener.Path, application.Description);
        emperor?.Report(VassalReport.Ready);
        while (!_stopping)
        {
            loop.RunOnce(EarliestTimeoutMs(intermediates.NextTimeoutMs(), spares.NextTimeoutMs(), NextRequestTimeoutMs(), _refused.NextTimeoutMs()));
            intermediates.EnforceDeadlines();
            spares.EnforceDeadlines();
            EnforceRequestDeadlines(loop, timeout);
            _refused.EnforceDeadline();
        }

        spares.Dispose();
        intermediates.ReapAll();
        Log.Stopped(_log, ProcessCalls.GetPid());
        return 0;

        // In a spare: drop every descriptor that belongs to the base.
        void Release()
        {
            ReleaseRequests();
            intermediates.Dispose();
            listener.Dispose();
            signals.Dispose();
            loop.Dispose();
            emperor?.Dispose();
        }
    }

    /// <summary>The earliest of the timeouts that are set (-1: none).</summary>
    private static int EarliestTimeoutMs(params ReadOnlySpan<int> timeouts)
    {
        int earliest = -1;
        foreach (int timeout in timeouts)
        {
            if (timeout >= 0 && (earliest < 0 || timeout < earliest))
            {
                earliest = timeout;
            }
        }

        return earliest;
    }

    private UnixListeningSocket Bind(string path)
    {
        try
        {
            var mode = options.GetValue("chmod-socket") is { } octal ? (UnixFileMode?)Convert.ToInt32(octal, 8) : null;
            return UnixListeningSocket.Bind(path, (int)options.GetInteger("listen", 100), mode);
        }
        catch (Exception e) when (e is PosixException or ArgumentException or FormatException)
        {
            throw new StartupException($"{options.DescribeSource("fork-server")}: cannot listen on fork-server {path}: {e.Message}", e);
        }
    }

    private void OnSignals(SignalFd signals)
    {
        while (signals.TryRead(out int signal, out _))
        {
            if (signal == Signals.SIGTERM || signal == Signals.SIGINT || signal == Signals.SIGQUIT)
            {
                _stopping = true;
            }
        }
    }

    private void OnEmperor(EmperorLink emperor, EventLoop loop)
    {
        var commands = emperor.ReadCommands(out bool lost);
        if (commands.Count > 0 || lost)
        {
            Log.Exiting(_log, lost ? "the Emperor is gone" : $"command {commands[0]} from the Emperor");
            loop.Remove(emperor.Fd);
            _stopping = true;
        }
    }
}
