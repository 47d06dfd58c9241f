using ForkServer.Abstractions;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The <see cref="SpareWorker"/> of a spare vassal, in its own process: idle until its vassal is adopted, then it
/// layers the vassal's options over the base's from the same arguments as its master, binds the vassal's HTTP socket
/// and gives it to the master, becomes whom the options say (as the master does, by the same rules) and serves as
/// worker 1, without waiting for the master to finish starting.
/// </summary>
internal sealed partial class AdoptedWorker(
    int channel,
    int masterPid,
    IPreloadedApplication application,
    KernelConfiguration baseConfiguration,
    ILoggerFactory logging,
    TimeSpan timeout)
{
    private readonly ILogger _log = logging.CreateLogger("spare worker");

    /// <summary>Runs the worker; the return value is the process's exit code.</summary>
    public int Run()
    {
        ProcessTitle.Set("fs spare-worker");
        PrepareToServe();
        SpareWorker.Adoption? adoption;
        KernelConfiguration configuration;
        VassalSettings settings;
        (uint Uid, uint Gid) identity;
        ListeningSocket listener;
        try
        {
            if (SpareWorker.AwaitAdoption(channel, timeout) is not { } adopted)
            {
                return 0;
            }

            JitFreePath.Mark();
            adoption = adopted;
            configuration = baseConfiguration.LayerAdopted(adoption.Argv, Environment.CurrentDirectory);
            settings = VassalSettings.From(configuration.Options);
            var whom = VassalIdentity.Of(configuration, settings, adopted: true, getuid());
            identity = Credentials.Resolve(whom.Uid, whom.Gid);
            listener = VassalStartup.Listen(settings, configuration.Options, adoption.OnDemand, logging.CreateLogger("vassal"));
            SpareWorker.SendListener(channel, listener.Fd, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        }
        catch (Exception e) when (e is ConfigurationException or StartupException or ArgumentException or PluginLoadException)
        {
            // The master reads the same arguments: without this worker it binds and resolves the ids itself, fails
            // the same way, and says so.
            return 1;
        }
        catch (Exception e) when (e is WireFormatException or TimeoutException or EndOfStreamException or PosixException or FdPassingException)
        {
            Log.MasterUnreachable(_log, e.Message);
            return 1;
        }
        finally
        {
            close(channel);
        }

        Credentials.Drop(identity.Uid, identity.Gid);
        var emperor = adoption.Emperor is { } link ? EmperorLink.Adopt(link) : null;
        return new WorkerProcess(1, masterPid, adoption.ReadyPipe, settings, listener, application, configuration.Options, logging, emperor).Run();
    }

    // An application with its own server may warm it up now, while nothing waits for this process. A failure costs
    // only that speed: this worker still starts, cold.
    private void PrepareToServe()
    {
        if (application is not ISelfHostedApplication selfHosted)
        {
            return;
        }

        try
        {
            selfHosted.PrepareToServe();
        }
        catch (Exception e)
        {
            Log.PrepareToServeFailed(_log, application.Description, e.Message);
        }
    }
}
