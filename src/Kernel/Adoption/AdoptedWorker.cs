using ForkServer.Abstractions;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The <see cref="SpareWorker"/> of a spare vassal, in its own process: idle until its vassal is adopted, then it
/// layers the vassal's options over the base's from the same arguments as its master, becomes the master's uid and
/// gid, and serves as worker 1.
/// </summary>
internal sealed class AdoptedWorker(
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
        SpareWorker.WorkerStart? start;
        IOptionValues options;
        VassalSettings settings;
        try
        {
            if (SpareWorker.AwaitArguments(channel, timeout) is not { } argv)
            {
                return 0;
            }

            options = baseConfiguration.Layer(argv.Skip(1).ToList(), Environment.CurrentDirectory).Options;
            settings = VassalSettings.From(options);
            start = SpareWorker.AwaitStart(channel, timeout);
        }
        catch (Exception e) when (e is ConfigurationException or StartupException)
        {
            return 1; // the master reads the same arguments, fails the same way, and says so
        }
        catch (Exception e) when (e is WireFormatException or TimeoutException or EndOfStreamException or PosixException or FdPassingException)
        {
            _log.LogError("spare worker: its master's message is unreadable: {Error}", e.Message);
            return 1;
        }
        finally
        {
            close(channel);
        }

        if (start is null)
        {
            return 0;
        }

        Credentials.Drop(start.Uid, start.Gid);
        var emperor = start.Emperor is { } link ? EmperorLink.Adopt(link) : null;
        return new WorkerProcess(1, masterPid, start.ReadyPipe, settings, ListeningSocket.FromFd(start.Listener), application, options, logging, emperor).Run();
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
            _log.LogWarning("spare worker: {Application} could not prepare to serve, it will start cold: {Error}", application.Description, e.Message);
        }
    }
}
