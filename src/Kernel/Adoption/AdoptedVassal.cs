using System.Runtime.InteropServices;
using ForkServer.Abstractions;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The grandchild a base forked for one adoption request: it answers the Emperor with its pid (before anything
/// can fail, as uWSGI does, so the Emperor always learns whom to watch), then becomes the vassal its arguments
/// describe, layered over the base's options, with the application the base already loaded.
/// </summary>
internal sealed partial class AdoptedVassal(
    int connection,
    ForkServerRequest request,
    int[] fds,
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
        int? onDemand = TakeOnDemandSocket();
        worker = WithAdoption(worker, onDemand);
        int pid = ProcessCalls.GetPid();
        try
        {
            FdPassing.Send(connection, ForkServerReply.Encode(pid), [], Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        }
        catch (Exception e) when (e is PosixException or TimeoutException)
        {
            // The Emperor gave up on this session (socket-timeout) and will adopt again: a vassal it never heard
            // of would run unsupervised, so this one ends here, with its worker.
            worker?.Abandon();
            Log.PidReplyNotTaken(_log, string.Join(' ', request.Argv), e.Message);
            return 1;
        }

        JitFreePath.Mark();
        close(connection);
        ProcessTitle.Set(Title(request.Argv));
        var emperor = EmperorLink.Adopt(fds[ForkServerRequest.ControlFdIndex]);

        // A config pipe (config pushed by the Emperor) comes only from monitors ForkServer's Emperor does not have.
        if (request.ConfigFdIndex is { } config)
        {
            close(fds[config]);
        }

        application.AfterFork(new ForkedProcessContext(ForkedProcessRole.AdoptedMaster, pid, 0));
        try
        {
            var configuration = baseConfiguration.LayerAdopted(request.Argv, Environment.CurrentDirectory);
            using var services = KernelServices.Build(configuration, logging, new VassalLaunch(emperor, application, ExitOnReload: true, onDemand, worker));
            return services.GetRequiredService<VassalStartup>().Run();
        }
        catch (Exception e) when (e is ConfigurationException or PluginLoadException or StartupException or ApplicationLoadException)
        {
            Log.CannotStart(_log, string.Join(' ', request.Argv), e.Message);
            emperor.Dispose();
            return 1;
        }
    }

    /// <summary>
    /// Sends the spare worker the arguments and fds first thing, so that it binds and starts serving while this
    /// process builds its own options; a worker that is gone is forgotten (the master forks worker 1 then).
    /// </summary>
    private SpareWorker? WithAdoption(SpareWorker? spare, int? onDemand)
    {
        try
        {
            spare?.Adopt(request.Argv, fds[ForkServerRequest.ControlFdIndex], onDemand, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
            return spare;
        }
        catch (Exception e) when (e is PosixException or TimeoutException)
        {
            Log.SpareWorkerGone(_log, spare!.Pid, e.Message);
            spare.Abandon();
            return null;
        }
    }

    /// <summary>
    /// The on-demand socket goes to fd 0, where uWSGI's vassals find it
    /// (docs/protocol.md#what-a-base-does-with-a-request); ForkServer's Emperor sends one when the vassal's previous
    /// process handed its listening socket over on reload.
    /// </summary>
    private int? TakeOnDemandSocket()
    {
        if (request.OnDemandFdIndex is not { } index)
        {
            return null;
        }

        int fd = fds[index];
        bool moved = dup2(fd, 0) == 0;
        if (!moved)
        {
            Log.OnDemandNotMoved(_log, fd, Marshal.GetLastPInvokeError());
        }

        close(fd);
        return moved ? 0 : null;
    }

    // "fs-one.ini": what ps shows (15 bytes at most) — the config name says which vassal this is.
    private static string Title(IReadOnlyList<string> argv)
        => "fs " + Path.GetFileName(argv.LastOrDefault(a => !a.StartsWith('-')) ?? "vassal");
}
