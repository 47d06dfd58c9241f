using System.Diagnostics;
using System.Runtime;
using ForkServer.Abstractions;
using ForkServer.Plugins.DotnetPreload.Internal;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ForkServer.Plugins.DotnetPreload;

/// <summary>
/// A preloaded ASP.NET Core application: its host, built in the base and never started there. Each worker starts
/// it, with Kestrel listening on the worker's inherited socket, and stops it when the kernel says so.
/// </summary>
/// <remarks>
/// A vassal's master only forks: it never starts the host, so it stays single-threaded and fit to fork workers.
/// </remarks>
internal sealed partial class DotnetApplication(
    ApplicationFiles files,
    PreloadLifetime lifetime,
    RequestServedStartupFilter requestServed,
    ILogger logger) : IPreloadedApplication, ISelfHostedApplication
{
    private IHost Host => lifetime.Host!;

    public string Description => $"dotnet app {files.MainAssembly}";

    public void PrepareForFork()
    {
        // Nothing is buffered: the application's logs go through the kernel's, written at once.
    }

    public void AfterFork(ForkedProcessContext context)
    {
        // Environment.ProcessId is cached by the runtime on first read: the plugin never reads it before fork, and
        // neither does ASP.NET Core while a host is only built. Random and Guid draw from the OS.
    }

    public IRequestHandler CreateRequestHandler(WorkerContext context)
        => throw new NotSupportedException($"{Description} serves HTTP with its own Kestrel (ISelfHostedApplication): the kernel's HTTP loop is not used");

    public IApplicationServer StartServing(ServingContext context)
    {
        lifetime.Serving = true;
        long compiledBefore = JitInfo.GetCompiledMethodCount();
        long startedAt = Stopwatch.GetTimestamp();
        requestServed.RequestServed = FirstRequestReported(context.RequestServed, compiledBefore);

        // The options object is a singleton: whether the application already resolved it in Main or Kestrel
        // resolves it now, this endpoint is the one Kestrel binds when the host starts.
        Host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.ListenHandle((ulong)context.ListeningSocket);
        try
        {
            Host.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            throw new ApplicationLoadException($"{Description} could not start its host in worker {context.WorkerId}: {e.GetType().Name}: {e.Message}", e);
        }

        Log.Serving(logger, files.Name, context.WorkerId, context.ListeningSocket);
        Log.StartCompiled(logger, (long)Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, JitInfo.GetCompiledMethodCount() - compiledBefore);
        return new HostServer(Host);
    }

    /// <summary>
    /// Reports served requests to the kernel, and the first one also to the log: what the worker JIT-compiled to get
    /// there, the part of its first response that the base's precompilation (WorkerPathPrecompiler) did not cover.
    /// </summary>
    private Action FirstRequestReported(Action requestServed, long compiledBefore)
    {
        int first = 1;
        return () =>
        {
            if (Interlocked.Exchange(ref first, 0) == 1)
            {
                Log.FirstRequestCompiled(logger, JitInfo.GetCompiledMethodCount() - compiledBefore);
            }

            requestServed();
        };
    }

    public void PrepareToServe()
    {
        long compiledBefore = JitInfo.GetCompiledMethodCount();
        long startedAt = Stopwatch.GetTimestamp();
        if (Host.Services.GetRequiredService<IServer>() is ForkAwareServer server && ServerRehearsal.Run(Host.Services, server))
        {
            Log.ServingRehearsed(logger, (long)Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, JitInfo.GetCompiledMethodCount() - compiledBefore);
        }
    }

    public void Shutdown()
    {
        // Only a worker ran the host; a master or base that never started it has nothing to shut down.
        if (lifetime.Serving)
        {
            Host.Dispose();
        }
    }
}
