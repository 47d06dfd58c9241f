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
            if (launch.OnDemandSocket is { } onDemand)
            {
                Tmds.Linux.LibC.close(onDemand);
            }

            return listener;
        }

        return Listen(settings, options, launch.OnDemandSocket, _log);
    }

    /// <summary>
    /// Opens the vassal's HTTP socket: the one a classic vassal's previous process handed over across its re-exec,
    /// or the on-demand socket the Emperor passed if it listens where <c>http-socket</c> says, else a new one.
    /// </summary>
    /// <exception cref="StartupException">The socket cannot be bound; the message names the option's source.</exception>
    public static ListeningSocket Listen(VassalSettings settings, IOptionValues options, int? onDemand, ILogger log)
    {
        try
        {
            return ListenerHandOver.Take(settings.HttpSocket)
                ?? (onDemand is { } inherited ? ListenerHandOver.TakeInherited(inherited, settings.HttpSocket, log) : null)
                ?? ListeningSocket.BindTcp(settings.HttpSocket, settings.ListenBacklog);
        }
        catch (Exception e) when (e is PosixException or FormatException or ArgumentException)
        {
            throw new StartupException($"{options.DescribeSource("http-socket")}: cannot listen on http-socket {settings.HttpSocket}: {e.Message}", e);
        }
    }

    /// <summary>
    /// In a fork-server base, before it adopts anyone: works out whom this vassal would run as, without becoming
    /// it, so that every adopted vassal inherits what doing so costs the first time in a process (glibc's parsed
    /// nsswitch.conf, the code on that path) instead of paying it again.
    /// </summary>
    public void RehearseIdentity()
    {
        try
        {
            var identity = DecideIdentity(Tmds.Linux.LibC.getuid());
            if (identity.Uid is not null || identity.Gid is not null)
            {
                _ = Credentials.Resolve(identity.Uid, identity.Gid);
            }
        }
        catch (Exception e) when (e is ArgumentException or PosixException)
        {
            // An adopted vassal meeting the same problem fails with its own message; here only speed is at stake.
        }
    }

    private VassalIdentity DecideIdentity(uint current)
        => VassalIdentity.Of(configuration, settings, launch.IsAdopted, current);

    private void DropPrivileges()
    {
        uint current = Tmds.Linux.LibC.getuid();
        var identity = DecideIdentity(current);
        if (identity.Uid is null && identity.Gid is null)
        {
            if (current == 0)
            {
                Log.RunningAsRoot(_log);
            }

            return;
        }

        try
        {
            var (uid, gid) = Credentials.Resolve(identity.Uid, identity.Gid);
            Credentials.Drop(uid, gid);
            if (identity.Reason is not null)
            {
                Log.PrivilegesDroppedBecause(_log, uid, gid, identity.Reason);
            }
            else if (uid == 0 && settings.Uid is not null)
            {
                Log.StayingRoot(_log, options.DescribeSource("uid"), settings.Uid);
            }
            else
            {
                Log.PrivilegesDropped(_log, uid, gid);
            }
        }
        catch (Exception e) when (e is not StartupException)
        {
            throw new StartupException($"cannot drop privileges to uid {identity.Uid ?? "-"} gid {identity.Gid ?? "-"}: {e.Message}", e);
        }
    }
}
