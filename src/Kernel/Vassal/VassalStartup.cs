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
        if (launch.Preloaded is null)
        {
            loader.Load(LoadPhase.Early);
        }

        using var listener = Bind();
        DropPrivileges();
        var application = launch.Preloaded ?? LoadAfterPrivilegeDrop();

        MasterOutcome outcome;
        using (var master = new VassalMaster(settings, listener, application, options, logging, emperor, launch.SpareWorker))
        {
            outcome = master.Run();
        }

        switch (outcome)
        {
            case MasterOutcome.Reload when launch.ExitOnReload:
                HandOverToEmperor(listener, emperor!);
                return 0;
            case MasterOutcome.Reload:
                Reexecute(listener, emperor!);
                return 1;
            case MasterOutcome.EmperorLost:
                return 1;
            default:
                return 0;
        }
    }

    private IPreloadedApplication LoadAfterPrivilegeDrop()
    {
        loader.Load(LoadPhase.Master);
        return loader.Require();
    }

    /// <summary>
    /// A classic vassal reloads as uWSGI's does: the same pid runs the program again from the start, so the ini
    /// is read anew; the HTTP socket and the Emperor link are handed over, so nothing is refused meanwhile.
    /// </summary>
    private void Reexecute(ListeningSocket listener, EmperorLink emperor)
    {
        Log.Reexecuting(_log);
        emperor.KeepAcrossExec();
        var handOver = ListenerHandOver.Prepare(listener, settings.HttpSocket);
        Directory.SetCurrentDirectory(configuration.StartDirectory);
        ProcessImage.Restart(new Dictionary<string, string> { [handOver.Key] = handOver.Value });
    }

    /// <summary>
    /// An adopted vassal reloads by exiting; its Emperor keeps the listening socket meanwhile and passes it to the
    /// vassal it adopts next, so clients wait in the backlog instead of being refused.
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
        if (launch.SpareWorker?.ReceiveListener(Environment.TickCount64 + (long)ProcessForker.HandOffTimeout.TotalMilliseconds) is { } listener)
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
