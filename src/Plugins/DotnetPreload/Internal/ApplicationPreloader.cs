using System.Diagnostics;
using System.Runtime;
using ForkServer.Abstractions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Preloads one application in the process that will fork: its <c>Main</c> runs up to <c>app.Run()</c>, its
/// preload hooks run, its code and the generic code of the workers' Kestrel are compiled, its heap compacted, and the process is checked to be still
/// single-threaded.
/// </summary>
internal static partial class ApplicationPreloader
{
    public static DotnetApplication Preload(ApplicationFiles files, ApplicationAssemblies assemblies, IReadOnlyList<string> args, bool warmUp, bool precompileKestrel, ILoggerFactory logging)
    {
        var clock = Stopwatch.StartNew();
        var logger = logging.CreateLogger(DotnetLoader.LogCategory);
        PrepareEnvironment(files);
        var main = assemblies.LoadMain();

        PreloadLifetime started;
        using (var interception = new HostInterception(logging))
        {
            EntryPoint.Run(main, args, files.MainAssembly);
            started = interception.Started ?? throw new ApplicationLoadException(interception.HostsBuilt == 0
                ? $"cannot preload .NET application {files.MainAssembly}: Main returned without building a host; the dotnet plugin serves ASP.NET Core applications (WebApplication.CreateBuilder(args) ... app.Run())"
                : $"cannot preload .NET application {files.MainAssembly}: Main built a host but returned without running it (app.Run() or app.RunAsync())");
            ThreadAudit.ThrowIfThreadsStarted(files.Name, "Main");

            var host = started.Host!;
            if (host.Services.GetService<IServer>() is not ForkAwareServer server)
            {
                throw new ApplicationLoadException($"cannot preload .NET application {files.MainAssembly}: its host has no web server (IServer); the dotnet plugin serves ASP.NET Core applications");
            }

            int hooks = PreloadHooks.RunAll(main, host.Services, files.MainAssembly);
            ThreadAudit.ThrowIfThreadsStarted(files.Name, "its preload hooks");
            if (warmUp)
            {
                WarmUp(host, server, files, logger);
                ThreadAudit.ThrowIfThreadsStarted(files.Name, $"the warm-up request (turn it off with {DotnetOptionNames.WarmUp} = false)");
            }

            int compiled = Precompiler.CompileAll(assemblies.OwnAssemblies);
            var (workerPath, unresolved) = precompileKestrel ? WorkerPathPrecompiler.CompileRecorded() : (0, []);
            foreach (string method in unresolved)
            {
                Log.RecordedMethodNotFound(logger, files.Name, method);
            }

            ThreadAudit.ThrowIfThreadsStarted(files.Name, $"compiling the workers' Kestrel path (turn it off with {DotnetOptionNames.PrecompileKestrel} = false)");

            // What survives the preload is shared by every worker as long as nobody writes to it: compacted into the
            // oldest generation, it is left alone by the workers' frequent young collections.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            ThreadAudit.ThrowIfThreadsStarted(files.Name, "preloading");

            Log.Preloaded(logger, files.Name, clock.ElapsedMilliseconds, hooks, compiled, workerPath, unresolved.Count, GC.GetTotalMemory(forceFullCollection: false) / (1024 * 1024));
            return new DotnetApplication(files, started, interception.RequestServed, logger);
        }
    }

    /// <summary>
    /// Runs the web host's own start in the base with the server held back (<see cref="ForkAwareServer"/>): the
    /// request pipeline is built and one request goes through it, so workers inherit that code compiled. The other
    /// hosted services are created (constructors only) but not started.
    /// </summary>
    private static void WarmUp(IHost host, ForkAwareServer server, ApplicationFiles files, ILogger logger)
    {
        var webHost = host.Services.GetServices<IHostedService>().FirstOrDefault(s => s.GetType().FullName == "Microsoft.AspNetCore.Hosting.GenericWebHostService");
        if (webHost is null)
        {
            return;
        }

        var starting = webHost.StartAsync(CancellationToken.None);
        if (starting.IsFaulted)
        {
            var cause = starting.Exception!.InnerException!;
            throw new ApplicationLoadException($"cannot preload .NET application {files.MainAssembly}: building its request pipeline threw {cause.GetType().Name}: {cause.Message}", cause);
        }

        if (!server.WarmedUp)
        {
            Log.WarmUpNotSynchronous(logger, files.Name, WarmUpRequest.Path);
        }
    }

    private static void PrepareEnvironment(ApplicationFiles files)
    {
        // Reloading configuration on change watches files with a thread (FileSystemWatcher) that would be started
        // in the base and lost at fork; a preloaded configuration cannot change anyway (reload the vassal instead).
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");

        // `dotnet App.dll` is usually run from the application's folder, where appsettings.json is; the base runs
        // in the vassal's folder, so the content root is set to the application's folder unless chosen already.
        if (Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is null && Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_CONTENTROOT", files.Directory);
        }
    }
}
