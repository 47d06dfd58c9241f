using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using ForkServer.Abstractions;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Logging;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace ForkServer.Kernel.Adoption;

internal sealed partial class ForkServerBase
{
    private const int RequestRehearsalTimeoutMs = 2000;

    // Decoded as a request's argv is, so that layering it runs the very code, over the very types, of an adoption.
    private static IReadOnlyList<string> RehearsalArgv => UwsgiArray.Decode(UwsgiArray.Encode(["forkserver", "--http-socket", "127.0.0.1:0"]));

    /// <summary>
    /// Runs once, before the base listens, what an adopted vassal and its workers run first: the layered
    /// configuration and the vassal's start-up services, a TCP bind and HTTP requests through the worker's
    /// server (<see cref="HttpRehearsal"/>), a spare worker's adoption (<see cref="SpareWorker.Rehearse"/>), an
    /// adoption request, a spare's hand-over and the pid reply, the application's pre-fork hook and a fork; and it
    /// prepares every method of the kernel and the plugins (<see cref="CodePreparation"/>) and logs once, into no
    /// sink, every event the processes it forks may log (<see cref="LogEventRehearsal"/>).
    /// </summary>
    /// <remarks>
    /// Tiered compilation is off, so code is compiled on first use, and generic framework code over the kernel's
    /// value types, or vectorised framework code, is compiled at run time even in a ReadyToRun build. What the
    /// base compiles here every adopted child inherits; what it does not, each child compiled again, and that
    /// was most of an adopted vassal's time to its first response. Nothing here forks the application's state
    /// or calls the application: the rehearsal fork's child exits at once.
    /// </remarks>
    private void RehearseAdoption(IPreloadedApplication application, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var layered = configuration.LayerAdopted(RehearsalArgv, Environment.CurrentDirectory);
        using (var services = KernelServices.Build(layered, logging, new VassalLaunch(null, application, ExitOnReload: true)))
        {
            var settings = services.GetRequiredService<VassalSettings>();
            services.GetRequiredService<VassalStartup>().RehearseIdentity();
            try
            {
                HttpRehearsal.Run(settings.Limits, _log);
                SpareWorker.Rehearse(settings, layered.Options, _log, timeout);
            }
            catch (Exception e) when (e is PosixException or TimeoutException or StartupException or WireFormatException or FdPassingException or EndOfStreamException)
            {
                // Only speed is lost: adopted vassals and workers will compile these paths themselves.
                Log.WorkerRehearsalFailed(_log, e.Message);
            }
        }

        try
        {
            SpareVassal.Rehearse(RehearseRequest(), timeout);
        }
        catch (Exception e) when (e is PosixException or TimeoutException or WireFormatException or FdPassingException or EndOfStreamException)
        {
            // Only speed is lost: the first adoption (and each adopted vassal's pid reply) will compile it instead.
            Log.RequestRehearsalFailed(_log, e.Message);
        }

        var plugins = configuration.Plugins.Select(p => p.GetType().Assembly).ToList();
        var prepared = CodePreparation.Prepare(plugins.Prepend(typeof(ForkServerBase).Assembly));
        Log.MethodsPrepared(_log, prepared.Count, prepared.Failed);
        RehearseLogEvents(plugins);

        application.PrepareForFork();
        RehearseFork();
        Log.Rehearsed(_log, clock.ElapsedMilliseconds);
    }

    // The events of what runs in the processes a base forks (an adopted vassal, its master, its spare worker, its
    // workers, the plugins), not the base's own nor the Emperor's. A type missing here whose events an adopted process
    // logs before its first response makes JitFreePathTests fail.
    private void RehearseLogEvents(IEnumerable<Assembly> plugins)
    {
        Type[] kernel = [typeof(AdoptedVassal), typeof(AdoptedWorker), typeof(VassalStartup), typeof(ListenerHandOver), typeof(VassalMaster), typeof(HttpServerLoop), typeof(JitFreePath)];
        using var silent = KernelLogging.CreateSilent();
        var rehearsed = LogEventRehearsal.Run(kernel.Concat(plugins.SelectMany(a => a.GetTypes())), silent.CreateLogger("rehearsal"));
        Log.EventsRehearsed(_log, rehearsed.Count, rehearsed.Failed);
    }

    // Both ends of a session over a socket pair: the Emperor's request carrying a control socket, read as the base
    // reads one (peer check included), then the pid reply an adopted vassal sends first thing after its fork.
    // Returns the request read, for the spare's hand-over to rehearse with.
    private static ForkServerRequest RehearseRequest()
    {
        long deadline = Environment.TickCount64 + RequestRehearsalTimeoutMs;
        using var session = ControlSocketPair.Create();
        using var control = ControlSocketPair.Create();
        byte[] request = ForkServerRequest.Encode(["forkserver", "--ini", "rehearsal.ini"], ForkServerFdMask.Control);
        FdPassing.Send(session.EmperorEnd, request, [control.VassalEnd], deadline);
        _ = PeerCredentials.Of(session.VassalEnd);
        var (read, fds) = AdoptionRequestReader.Read(session.VassalEnd, TimeSpan.FromMilliseconds(RequestRehearsalTimeoutMs));
        FdPassing.CloseAll(fds);
        FdPassing.Send(session.VassalEnd, ForkServerReply.Encode(1), [], deadline);
        return read;
    }

    // The parent side of a fork (thread census, hand-off, reaping) is what the base runs for every adoption and
    // each adopted master for every worker: one fork here, so that the first adoption is not slower than the rest.
    private void RehearseFork()
    {
        // The exit of a forked intermediate (and of the rehearsal's child) is the one call no parent makes: compiled
        // here, every intermediate inherits it instead of JIT-compiling it while its grandchild starts.
        RuntimeHelpers.PrepareMethod(((Action<int>)ProcessCalls.ExitImmediately).Method.MethodHandle);

        int pid = ProcessForker.Fork(static () => 0);
        if (ProcessCalls.WaitForExit(pid, ProcessForker.HandOffTimeout) is null)
        {
            ProcessCalls.KillAndReap(pid, ProcessForker.HandOffTimeout);
            Log.RehearsalChildStuck(_log, pid, ProcessForker.HandOffTimeout.TotalSeconds);
        }
    }
}
