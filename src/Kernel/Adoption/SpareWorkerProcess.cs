using ForkServer.Abstractions;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Warmup;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// A spare worker, in its own process (its master's handle is <see cref="SpareWorker"/>): idle until its vassal is
/// adopted, then it runs the vassal's start-up steps (<see cref="StartupSteps"/>, the master's own) from the same
/// request as its master, gives the master the socket it listens on, becomes whom the options say and serves as
/// worker 1, without waiting for the master to finish starting.
/// </summary>
internal sealed partial class SpareWorkerProcess(
    int channel,
    int masterPid,
    WorkerStatus status,
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
        HandedRequest? request = null;
        StartupSteps steps;
        ResolvedIdentity? identity;
        ListeningSocket listener;
        try
        {
            request = AdoptionChannel.Await(channel, timeout);
            if (request is null)
            {
                // The master forks its workers itself, or the spare was never adopted.
                return 0;
            }

            // The Emperor link is the master's alone (this process runs the application): the request carries it
            // only because every request has one.
            request.Control.Dispose();
            JitFreePath.Mark();
            ProcessTitle.SetArguments(request.Request.Argv);
            steps = StartupSteps.ForAdopted(baseConfiguration, request.Request.Argv);
            StartupSteps.ShapeProcess(steps.Configuration.Options);
            identity = steps.ResolveIdentity();
            listener = steps.Listen(request.OnDemand?.Move(), logging.CreateLogger("vassal"));
            AdoptionChannel.SendListener(channel, listener.Fd, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        }
        catch (Exception e) when (e is ConfigurationException or StartupException or PluginLoadException)
        {
            // The master runs the same steps: without this worker it fails the same way, and says so where the
            // Emperor's log shows it.
            Log.CannotStart(_log, e.Message);
            request?.Dispose();
            return 1;
        }
        catch (Exception e) when (e is WireFormatException or TimeoutException or EndOfStreamException or PosixException or FdPassingException)
        {
            Log.MasterUnreachable(_log, e.Message);
            request?.Dispose();
            return 1;
        }
        finally
        {
            Descriptors.Close(channel);
        }

        if (identity is not null)
        {
            StartupSteps.Become(identity);
        }

        int readyPipe = request.Leading!.Release();
        request.Dispose();
        return new WorkerProcess(1, masterPid, readyPipe, status, steps.Settings, listener, application, steps.Configuration.Options, logging).Run();
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
