using ForkServer.Abstractions;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Warmup;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// A spare vassal once the base has handed it a request: it gives its spare worker the request first, answers the
/// Emperor with its pid (before anything can fail, as uWSGI does, so the Emperor always learns whom to watch), then
/// becomes the vassal's master, with the options its arguments layer over the base's and the application the base
/// already loaded.
/// </summary>
internal sealed partial class AdoptedVassal(
    HandedRequest request,
    SpareWorker? worker,
    IPreloadedApplication application,
    KernelConfiguration baseConfiguration,
    ILoggerFactory logging,
    TimeSpan timeout)
{
    private readonly ILogger _log = logging.CreateLogger("adopted");

    /// <summary>Runs the vassal; the return value is the process's exit code.</summary>
    public int Run()
    {
        // The spare worker first: it starts on another CPU while this process answers the Emperor, which then runs
        // on this one.
        worker = WithAdoption(worker);
        int pid = ProcessCalls.GetPid();
        using (var connection = request.Leading!)
        {
            try
            {
                FdPassing.Send(connection.Fd, ForkServerReply.Encode(pid), [], Deadline());
            }
            catch (Exception e) when (e is PosixException or TimeoutException)
            {
                // The Emperor gave up on this session (socket-timeout) and will adopt again: a vassal it never heard
                // of would run unsupervised, so this one ends here, with its worker.
                worker?.Abandon();
                Log.PidReplyNotTaken(_log, string.Join(' ', request.Request.Argv), e.Message);
                return 1;
            }
        }

        JitFreePath.Mark();
        ProcessTitle.Set(Title(request.Request.Argv));
        ProcessTitle.SetArguments(request.Request.Argv);
        var emperor = EmperorLink.Adopt(request.Control.Release());

        // A config pipe (config pushed by the Emperor) comes only from monitors ForkServer's Emperor does not have.
        request.Config?.Dispose();
        application.AfterFork(new ForkedProcessContext(ForkedProcessRole.AdoptedMaster, pid, 0));
        try
        {
            var configuration = baseConfiguration.LayerAdopted(request.Request.Argv, Environment.CurrentDirectory);
            StartupSteps.ShapeProcess(configuration.Options);
            var launch = new VassalLaunch(emperor, application, ExitOnReload: true, request.OnDemand?.Move(), worker);
            using var services = KernelServices.Build(configuration, logging, launch);
            return services.GetRequiredService<VassalStartup>().Run();
        }
        catch (Exception e) when (e is ConfigurationException or PluginLoadException or StartupException or ApplicationLoadException)
        {
            Log.CannotStart(_log, string.Join(' ', request.Request.Argv), e.Message);
            emperor.Dispose();
            return 1;
        }
    }

    private long Deadline() => Environment.TickCount64 + (long)timeout.TotalMilliseconds;

    /// <summary>
    /// Hands the spare worker the request first thing, so that it binds and starts serving while this process builds
    /// its own options; a worker that is gone is forgotten (the master forks worker 1 then).
    /// </summary>
    private SpareWorker? WithAdoption(SpareWorker? spare)
    {
        try
        {
            spare?.Adopt(request, Deadline());
            return spare;
        }
        catch (Exception e) when (e is PosixException or TimeoutException)
        {
            Log.SpareWorkerGone(_log, spare!.Pid, e.Message);
            spare.Abandon();
            return null;
        }
    }

    // "fs one.ini": what ps shows (15 bytes at most) — the config name says which vassal this is.
    private static string Title(IReadOnlyList<string> argv)
        => "fs " + Path.GetFileName(argv.LastOrDefault(a => !a.StartsWith('-')) ?? "vassal");
}
