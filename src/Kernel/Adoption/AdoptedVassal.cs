using ForkServer.Abstractions;
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
internal sealed class AdoptedVassal(
    int connection,
    ForkServerRequest request,
    IReadOnlyList<int> fds,
    IPreloadedApplication application,
    KernelConfiguration baseConfiguration,
    ILoggerFactory logging,
    TimeSpan timeout)
{
    private readonly ILogger _log = logging.CreateLogger("adopted");

    /// <summary>Runs the vassal; the return value is the process's exit code.</summary>
    public int Run()
    {
        int pid = ProcessCalls.GetPid();
        FdPassing.Send(connection, ForkServerReply.Encode(pid), [], Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        close(connection);
        ProcessTitle.Set(Title(request.Argv));
        var emperor = EmperorLink.Adopt(fds[ForkServerRequest.ControlFdIndex]);

        // A config pipe (config pushed by the Emperor) and on-demand sockets come only from monitors and modes
        // ForkServer's Emperor does not have: they are not used, so they are not kept. (A loop, not Skip(1):
        // LINQ over ints would be JIT-compiled in every adopted vassal.)
        for (int i = 1; i < fds.Count; i++)
        {
            close(fds[i]);
        }

        application.AfterFork(new ForkedProcessContext(ForkedProcessRole.AdoptedMaster, pid, 0));
        try
        {
            var configuration = baseConfiguration.Layer(request.Argv.Skip(1).ToList(), Environment.CurrentDirectory);
            using var services = KernelServices.Build(configuration, logging, new VassalLaunch(emperor, application, ExitOnReload: true));
            return services.GetRequiredService<VassalStartup>().Run();
        }
        catch (Exception e) when (e is ConfigurationException or PluginLoadException or StartupException or ApplicationLoadException)
        {
            _log.LogCritical("adopted vassal {Argv} cannot start: {Error}", string.Join(' ', request.Argv), e.Message);
            emperor.Dispose();
            return 1;
        }
    }

    // "fs-one.ini": what ps shows (15 bytes at most) — the config name says which vassal this is.
    private static string Title(IReadOnlyList<string> argv)
        => "fs " + Path.GetFileName(argv.LastOrDefault(a => !a.StartsWith('-')) ?? "vassal");
}
