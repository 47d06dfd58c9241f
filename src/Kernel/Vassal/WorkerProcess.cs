using ForkServer.Abstractions;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Http.RequestLog;
using ForkServer.Kernel.Logging;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Warmup;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// The life of one worker, in the forked child: become the application's worker, serve HTTP on the inherited
/// listening socket until told to stop, run the application's exit hooks. It reports to its master only
/// (<see cref="WorkerReports"/>, on <paramref name="readyPipe"/>): it holds no channel to the Emperor.
/// </summary>
/// <remarks>
/// SIGTERM, SIGINT and SIGHUP stop it gracefully (stop accepting, finish open requests); SIGQUIT ends it at
/// once. If the master dies the kernel sends it SIGTERM (parent-death signal), so no worker outlives its master.
/// It notes each request's start, line and end in <paramref name="status"/>, which its master reads (harakiri), and
/// after <c>max-requests</c> requests it stops as gracefully as on SIGTERM, saying why there.
/// </remarks>
internal sealed partial class WorkerProcess(
    int slot,
    int masterPid,
    int readyPipe,
    WorkerStatus status,
    VassalSettings settings,
    ListeningSocket listener,
    IPreloadedApplication application,
    IOptionValues options,
    ILoggerFactory logging)
{
    private readonly ILogger _log = logging.CreateLogger($"worker {slot}");
    private readonly WorkerReports _reports = new(readyPipe);
    private bool _stopping;

    /// <summary>Runs the worker; the return value is its exit code.</summary>
    public int Run()
    {
        ProcessCalls.SetParentDeathSignal(Signals.SIGTERM);
        if (ProcessCalls.GetParentPid() != masterPid)
        {
            // The master died between fork and the line above: the death signal will never come.
            return 1;
        }

        if (!JitFreePath.IsMarked)
        {
            JitFreePath.Mark();
        }

        int pid = ProcessCalls.GetPid();
        ProcessTitle.Set($"fs-worker {slot}");
        ProcessTitle.SetChosen(ProcessNames.Worker(options, slot));
        application.AfterFork(new ForkedProcessContext(ForkedProcessRole.Worker, pid, slot));
        if (application is LazyApplication lazy)
        {
            try
            {
                application = lazy.LoadInWorker();
            }
            catch (Exception e) when (e is ApplicationLoadException or StartupException)
            {
                Log.LazyLoadFailed(_log, slot, e.Message);
                return 1;
            }
        }

        if (application is ISelfHostedApplication selfHosted)
        {
            return RunSelfHosted(selfHosted, pid);
        }

        var handler = application.CreateRequestHandler(new WorkerContext(slot, pid, options, logging));

        using var signals = ControlledSignals.CreateSignalFd();
        using var loop = new EventLoop();
        var http = new HttpServerLoop(loop, listener, handler, settings.Limits, _log)
        {
            RequestLog = settings.RequestLog is { } requestLog ? new RequestLogWriter(requestLog, pid, slot) : null,
        };
        // Signals first: a worker told to stop must not accept once more, from a listener it now shares with its successor.
        loop.AddFirst(signals.Fd, EventLoop.Readable, _ => OnSignals(signals, http));
        ApplicationChildren.Guard(http, loop, signals);
        var lifecycle = settings.Lifecycle;
        long startedAt = Environment.TickCount64;
        bool loyal = false;
        if (lifecycle.MaxRequests > 0)
        {
            http.RequestsLeft = lifecycle.MaxRequests;
        }

        http.RequestStarting = request =>
        {
            status.BeginRequest(request.Method, request.RawTarget, request.Protocol, request.RemoteAddress);

            // The last request of max-requests, too soon for min-worker-lifetime: one more, and ask again then.
            if (http.RequestsLeft == 1 && Environment.TickCount64 - startedAt < lifecycle.MinLifetime.TotalMilliseconds)
            {
                http.RequestsLeft++;
            }
        };
        http.RequestCompleted = () =>
        {
            status.EndRequest();
            if (http.RequestsLeft <= 0)
            {
                status.MarkRecycling(WorkerRecycleReason.MaxRequests);
            }

            // Each worker tells once that it served a request ("loyal"), as uWSGI's workers do; the master tells the Emperor.
            if (!loyal)
            {
                loyal = true;
                _reports.ReportLoyal();
                JitFreePath.Log.FirstResponse(_log, slot, JitFreePath.End());
            }
        };

        http.Start();
        _reports.ReportReady();

        // Told to stop, or done with its max-requests: it finishes its connections' requests first.
        while (!(_stopping || http.IsStopping) || !http.IsIdle)
        {
            loop.RunOnce(1000);
            http.ExpireIdleConnections();
        }

        application.Shutdown();
        return 0;
    }

    /// <summary>
    /// A worker whose application serves the listening socket with its own server (ISelfHostedApplication): the
    /// kernel keeps the signals and the reports to the master; the server does the HTTP.
    /// </summary>
    private int RunSelfHosted(ISelfHostedApplication selfHosted, int pid)
    {
        using var signals = ControlledSignals.CreateSignalFd();

        // The application's start runs on this thread, so no signal is read until it returns: should the master die
        // meanwhile, a SIGTERM would wait for ever behind a start that hangs. Until then the master's death kills.
        ProcessCalls.SetParentDeathSignal(Signals.SIGKILL);
        if (ProcessCalls.GetParentPid() != masterPid)
        {
            return 1;
        }

        // Servers report every response, from any thread; the master hears of the first one.
        var server = selfHosted.StartServing(new ServingContext(slot, pid, listener.Fd, options, logging, _reports.ReportLoyal));
        ProcessCalls.SetParentDeathSignal(Signals.SIGTERM);
        if (ProcessCalls.GetParentPid() != masterPid)
        {
            _stopping = true; // the master died while the server started: stop it gracefully at once
        }

        _reports.ReportReady();

        using var loop = new EventLoop();
        loop.Add(signals.Fd, EventLoop.Readable, _ =>
        {
            while (signals.TryRead(out int signal, out _))
            {
                if (signal == Signals.SIGQUIT)
                {
                    ProcessCalls.ExitImmediately(0);
                }

                _stopping |= signal == Signals.SIGTERM || signal == Signals.SIGINT || signal == Signals.SIGHUP;
            }
        });
        while (!_stopping)
        {
            loop.RunOnce(-1);
        }

        server.Stop();
        application.Shutdown();
        return 0;
    }

    private void OnSignals(SignalFd signals, HttpServerLoop http)
    {
        while (signals.TryRead(out int signal, out _))
        {
            if (signal == Signals.SIGUSR2)
            {
                // The master reopened logto and tells each worker to: they share no descriptor with it any more.
                KernelLogging.Reopen(options, _log);
            }

            if (signal == Signals.SIGQUIT)
            {
                http.CloseAll();
                ProcessCalls.ExitImmediately(0);
            }

            if ((signal == Signals.SIGTERM || signal == Signals.SIGINT || signal == Signals.SIGHUP) && !_stopping)
            {
                _stopping = true;
                http.StopAccepting();
            }
        }
    }
}
