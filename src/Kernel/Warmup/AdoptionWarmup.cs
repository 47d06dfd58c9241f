using System.Diagnostics;
using ForkServer.Abstractions;
using ForkServer.Kernel.Hosting;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Warmup;

/// <summary>
/// Gets a fork-server base ready to fork: it runs once, before the base listens, what an adopted vassal, its spare
/// worker and its workers would otherwise compile between the pid reply and their first response, so that they
/// inherit it, compiled, copy-on-write (the rule is <see cref="JitFreePath"/>; <c>JitFreePathTests</c> enforces it).
/// </summary>
/// <remarks>
/// <para>Tiered compilation is off in a forking process, so code is compiled on first use, and generic framework
/// code over the kernel's value types, or vectorised framework code, is compiled at run time even in a ReadyToRun
/// build. What the base compiles here every child inherits; what it does not, each child compiled again, and that was
/// most of an adopted vassal's time to its first response.</para>
/// <para>In order: the vassal's start-up (layered options, its services, whom it runs as, its HTTP socket, an HTTP
/// exchange through the worker's server: <see cref="HttpRehearsal"/>), every message of an adoption
/// (<c>Adoption/AdoptionChannel</c>), every method of the kernel and the plugins (<see cref="CodePreparation"/>),
/// every log event the forked processes may write (<see cref="LogEventRehearsal"/>), the application's pre-fork hook
/// and one fork. Each step plays both sides itself, over socketpairs, with real descriptors and no fake process:
/// nothing here calls the application, and the one forked child exits at once. A step that fails costs only speed,
/// and says so.</para>
/// </remarks>
internal sealed partial class AdoptionWarmup(KernelConfiguration configuration, ILoggerFactory logging, TimeSpan timeout)
{
    private readonly ILogger _log = logging.CreateLogger("fork-server");

    /// <summary>Runs every step, for a base whose application is <paramref name="application"/>.</summary>
    public void Run(IPreloadedApplication application)
    {
        var clock = Stopwatch.StartNew();
        RehearseVassalStartup(application);
        RehearseMessages();
        PrepareCode();
        application.PrepareForFork();
        RehearseFork();
        Log.Done(_log, clock.ElapsedMilliseconds);
    }

    private long Deadline() => Environment.TickCount64 + (long)timeout.TotalMilliseconds;
}
