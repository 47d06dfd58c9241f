using ForkServer.Abstractions;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Brings a vassal up in uWSGI's order: early load (already done while configuring), bind the HTTP socket,
/// drop privileges, load the application (non-early), then hand over to the master.
/// </summary>
internal sealed partial class VassalStartup(
    VassalSettings settings,
    ApplicationLoader loader,
    IOptionValues options,
    ILoggerFactory logging,
    KernelConfiguration configuration,
    VassalLaunch launch)
{
    private readonly ILogger _log = logging.CreateLogger("vassal");
    private readonly StartupSteps _steps = new(configuration, settings, launch.IsAdopted);

    /// <summary>Starts the vassal and supervises it until it stops; returns the exit code (or re-executes it on reload).</summary>
    public int Run()
    {
        using var emperor = launch.Emperor;
        ReportNoEffectOptions();

        // Before the privilege drop: naming a process beyond its original command line takes CAP_SYS_RESOURCE.
        ProcessTitle.SetChosen(ProcessNames.Master(options));
        var pidFiles = new PidFiles(options);
        try
        {
            return RunMaster(emperor, pidFiles);
        }
        finally
        {
            // Reached on every exit but a successful re-execution, which keeps the pid and so the pidfiles.
            pidFiles.Vacuum();
        }
    }

    private int RunMaster(EmperorLink? emperor, PidFiles pidFiles)
    {
        // A classic vassal re-executed for a reload: its previous image's workers, still finishing their requests.
        var inherited = launch.IsAdopted ? [] : RetiringWorkers.Take();
        using var listener = PrepareMaster(inherited, pidFiles, out var application);
        MasterOutcome outcome;
        IReadOnlyList<RetiringWorker> retiring;
        using (var master = new VassalMaster(settings, listener, application, options, logging, emperor, launch.SpareWorker)
        {
            // On reload an adopted vassal's socket goes to the Emperor for the next adoption at once, and a classic
            // vassal re-executes at once: the next process serves while the workers finish their requests.
            OnReload = launch.ExitOnReload ? () => HandOverToEmperor(listener, emperor!) : null,
            ReturnOnReload = !launch.ExitOnReload,
            Inherited = inherited,
        })
        {
            outcome = master.Run();
            retiring = master.Retiring();
        }

        switch (outcome)
        {
            case MasterOutcome.Reload when launch.ExitOnReload:
                return 0;
            case MasterOutcome.Reload:
                Reexecute(listener, emperor!, retiring);
                return 1;
            case MasterOutcome.EmperorLost:
                return 1;
            default:
                return 0;
        }
    }

    /// <summary>
    /// The steps before the master (early load, bind, pidfile, privilege drop, pidfile2, load): the bound socket, and
    /// the application.
    /// If one fails, the previous image's
    /// <paramref name="inherited"/> workers are killed, as no master would supervise them.
    /// </summary>
    private ListeningSocket PrepareMaster(IReadOnlyList<RetiringWorker> inherited, PidFiles pidFiles, out IPreloadedApplication application)
    {
        try
        {
            if (launch.Preloaded is null)
            {
                loader.Load(LoadPhase.Early);
            }

            var listener = Bind();
            pidFiles.Write("pidfile");
            DropPrivileges();
            pidFiles.Write("pidfile2");
            application = launch.Preloaded ?? LoadAfterPrivilegeDrop();
            if (settings.Lifecycle.LazyApps && application is not LazyApplication)
            {
                Log.LazyAppsNotApplied(_log, application.Description, launch.IsAdopted ? "the fork-server base loaded it before this vassal was forked" : "it was loaded early (early-psgi)");
            }
            return listener;
        }
        catch
        {
            RetiringWorkers.Kill(inherited);
            throw;
        }
    }

    // Once per vassal, by its master: the uWSGI options it sets that mean nothing here (UwsgiCompatibility.NoEffect).
    private void ReportNoEffectOptions()
    {
        foreach (var option in UwsgiCompatibility.NoEffect)
        {
            if (options.Contains(option.Name))
            {
                Log.NoEffect(_log, options.DescribeSource(option.Name), option.Name, option.Instead);
            }
        }
    }

    private IPreloadedApplication LoadAfterPrivilegeDrop()
    {
        if (settings.Lifecycle.LazyApps && loader.Application is null)
        {
            return new LazyApplication(loader);
        }

        loader.Load(LoadPhase.Master);
        return loader.Require();
    }

    /// <summary>
    /// A classic vassal reloads as uWSGI's does: the same pid runs the program again from the start, so the ini
    /// is read anew; the HTTP socket and the Emperor link are handed over, so nothing is refused meanwhile, and so
    /// are the workers still finishing their requests, which the new image supervises until they exit.
    /// </summary>
    private void Reexecute(ListeningSocket listener, EmperorLink emperor, IReadOnlyList<RetiringWorker> retiring)
    {
        Log.Reexecuting(_log);
        emperor.KeepAcrossExec();
        var handOver = ListenerHandOver.Prepare(listener, settings.Socket);
        var workers = RetiringWorkers.Prepare(retiring);
        Directory.SetCurrentDirectory(configuration.StartDirectory);
        ProcessImage.Restart(new Dictionary<string, string> { [handOver.Key] = handOver.Value, [workers.Key] = workers.Value });
    }

    /// <summary>
    /// An adopted vassal reloads by exiting, and hands its listening socket to the Emperor as soon as its workers
    /// were told to stop: the Emperor adopts the next vassal with it at once, while this one finishes the requests in
    /// flight, so clients wait in the backlog at most for the adoption instead of being refused.
    /// </summary>
    private void HandOverToEmperor(ListeningSocket listener, EmperorLink emperor)
    {
        if (emperor.HandOver(listener.Fd))
        {
            Log.HandedOver(_log, listener.Endpoint);
        }
        else
        {
            Log.HandOverRefused(_log, listener.Endpoint);
        }
    }

    /// <summary>The spare worker's socket when it bound one (it is worker 1 then), else one bound here.</summary>
    private ListeningSocket Bind()
    {
        if (launch.SpareWorker?.ReceiveListener(settings.Socket.Protocol, Environment.TickCount64 + (long)ProcessForker.HandOffTimeout.TotalMilliseconds) is { } listener)
        {
            // The worker took the on-demand socket or closed its copy; this one would hold the old port open.
            launch.OnDemandSocket?.Dispose();
            return listener;
        }

        return _steps.Listen(launch.OnDemandSocket, _log);
    }

    private void DropPrivileges()
    {
        if (_steps.ResolveIdentity() is not { } identity)
        {
            if (ProcessCalls.GetUid() == 0)
            {
                Log.RunningAsRoot(_log);
            }

            return;
        }

        StartupSteps.Become(identity);
        if (identity.Decided.Reason is { } reason)
        {
            Log.PrivilegesDroppedBecause(_log, identity.Uid, identity.Gid, reason);
        }
        else if (identity.Uid == 0 && settings.Uid is not null)
        {
            Log.StayingRoot(_log, options.DescribeSource("uid"), settings.Uid);
        }
        else
        {
            Log.PrivilegesDropped(_log, identity.Uid, identity.Gid);
        }
    }
}
