using ForkServer.Abstractions;
using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace ForkServer.Kernel.Warmup;

internal sealed partial class AdoptionWarmup
{
    // Decoded as a request's argv is, so that layering it runs the very code, over the very types, of an adoption.
    private static IReadOnlyList<string> RehearsalArgv => UwsgiArray.Decode(UwsgiArray.Encode(["forkserver", "--http-socket", "127.0.0.1:0"]));

    /// <summary>
    /// What an adopted master and its spare worker run from the request to serving: the arguments layered over the
    /// base's options, the vassal's services, the start-up steps (log file and directory, whom it runs as, its HTTP
    /// socket, which the spare worker sends its master), and two HTTP requests through the worker's server.
    /// </summary>
    private void RehearseVassalStartup(IPreloadedApplication application)
    {
        var steps = StartupSteps.ForAdopted(configuration, RehearsalArgv);
        using var services = KernelServices.Build(steps.Configuration, logging, new VassalLaunch(null, application, ExitOnReload: true));
        _ = services.GetRequiredService<VassalStartup>();
        try
        {
            // Whom it would run as, without becoming it: glibc's parsed nsswitch.conf is inherited too.
            _ = steps.ResolveIdentity();
        }
        catch (StartupException)
        {
            // An adopted vassal meeting the same problem fails with its own message; here only speed is at stake.
        }

        // The process options an adopted master and its workers read: names and environment (applying them would change
        // the base's own).
        _ = ProcessTitle.ArgumentsText(RehearsalArgv);
        _ = ProcessNames.Master(steps.Configuration.Options);
        _ = ProcessNames.Worker(steps.Configuration.Options, 1);
        _ = VassalEnvironment.Read(steps.Configuration.Options);
        try
        {
            RehearseProcessOptions();
            // The request log as the base's settings say (uWSGI's line by default), then every log-format variable.
            HttpRehearsal.Run(steps.Settings.Limits, _log, steps.Settings.RequestLog);
            HttpRehearsal.Run(steps.Settings.Limits, _log, HttpRehearsal.EveryLogVariable);
            RehearseListenerExchange(steps);
            RehearseUnixUwsgiSocket();
        }
        catch (Exception e) when (e is PosixException or TimeoutException or StartupException or FdPassingException or EndOfStreamException)
        {
            Log.StartupRehearsalFailed(_log, e.Message);
        }
    }

    // What logto and chdir (StartupSteps.ShapeProcess) call, on a scratch pipe and the current directory: the base
    // keeps its own standard streams and directory.
    private static void RehearseProcessOptions()
    {
        var (read, write) = Pipes.Create("a rehearsed logto");
        try
        {
            StandardStreams.Redirect("/dev/null", [write]);
        }
        finally
        {
            Descriptors.Close(read);
            Descriptors.Close(write);
        }

        Environment.CurrentDirectory = Environment.CurrentDirectory;
    }

    // A vassal with `socket = /path` (uwsgi protocol on a unix socket): its options, the bind, the exchange, and a
    // uwsgi request through the worker's server. The socket file lives in $TMPDIR for the moment it takes.
    private void RehearseUnixUwsgiSocket()
    {
        string path = Path.Combine(Path.GetTempPath(), $"forkserver-rehearsal-{ProcessCalls.GetPid()}.sock");
        try
        {
            var argv = UwsgiArray.Decode(UwsgiArray.Encode(["forkserver", "--socket", path]));
            var steps = StartupSteps.ForAdopted(configuration, argv);
            RehearseListenerExchange(steps);
            HttpRehearsal.RunUwsgi(steps.Settings.Limits, _log, steps.Settings.RequestLog);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // The spare worker binds the vassal's socket and sends it; the master receives it.
    private void RehearseListenerExchange(StartupSteps steps)
    {
        var (masterEnd, workerEnd) = StreamSocketPair.Create("a rehearsed spare worker");
        try
        {
            using (var listener = steps.Listen(null, _log))
            {
                AdoptionChannel.SendListener(workerEnd, listener.Fd, Deadline());
            }

            using var received = AdoptionChannel.ReceiveListener(masterEnd, steps.Settings.Socket.Protocol, Deadline())
                ?? throw new EndOfStreamException("the rehearsed listener did not arrive");
        }
        finally
        {
            Descriptors.Close(masterEnd);
            Descriptors.Close(workerEnd);
        }
    }
}
