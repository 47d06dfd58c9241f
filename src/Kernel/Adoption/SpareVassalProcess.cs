using ForkServer.Abstractions;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The life of a spare vassal, in its own process (the base's side is <see cref="SpareVassal"/>): it drops the
/// base's descriptors, forks its own first worker (<see cref="SpareWorker"/>), reports ready and waits for a
/// request, then becomes the vassal it asks for (<see cref="AdoptedVassal"/>). The spare, not the base, answers
/// the Emperor with its pid.
/// </summary>
/// <param name="channel">The spare's end of the spare channel.</param>
/// <param name="requested">Forked for a request already on its way: forking a worker first would only delay the
/// Emperor's pid reply, so its master forks every worker.</param>
/// <param name="releaseBase">Closes this process's copies of the base's descriptors.</param>
/// <param name="application">The application the base loaded.</param>
/// <param name="baseConfiguration">The base's options, which the request's arguments are layered over.</param>
/// <param name="logging">The base's logging.</param>
/// <param name="timeout">Bound on every message (<c>socket-timeout</c>).</param>
internal sealed partial class SpareVassalProcess(
    int channel,
    bool requested,
    Action releaseBase,
    IPreloadedApplication application,
    KernelConfiguration baseConfiguration,
    ILoggerFactory logging,
    TimeSpan timeout)
{
    private readonly ILogger _log = logging.CreateLogger("fork-server");

    /// <summary>Runs the spare; the return value is the process's exit code.</summary>
    public int Run()
    {
        releaseBase();
        ProcessTitle.Set("fs spare");
        using var worker = requested ? null : ForkSpareWorker();
        HandedRequest? request;
        try
        {
            ReportReady(channel, timeout);
            request = AdoptionChannel.Await(channel, timeout);
        }
        catch (Exception e) when (e is WireFormatException or TimeoutException or EndOfStreamException or PosixException or FdPassingException)
        {
            Log.HandOverUnreadable(_log, e.Message);
            return 1;
        }
        finally
        {
            Descriptors.Close(channel);
        }

        if (request is null)
        {
            // The base stopped, or dropped this spare.
            return 0;
        }

        using (request)
        {
            return new AdoptedVassal(request, worker, application, baseConfiguration, logging, timeout).Run();
        }
    }

    /// <summary>
    /// The spare's pid on the channel. A base that handed a request over before this report came has closed its end
    /// already (EPIPE), and the request still waits in the channel: so a failure here is not one.
    /// </summary>
    public static void ReportReady(int channel, TimeSpan timeout)
    {
        try
        {
            FdPassing.Send(channel, BitConverter.GetBytes(ProcessCalls.GetPid()), [], Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        }
        catch (Exception e) when (e is PosixException or TimeoutException)
        {
            // See above: the next read says whether a request came.
        }
    }

    /// <summary>Without one (the fork failed) the adopted master forks all its workers itself.</summary>
    private SpareWorker? ForkSpareWorker()
    {
        int masterPid = ProcessCalls.GetPid();
        try
        {
            application.PrepareForFork();
            return SpareWorker.Fork((workerChannel, status) =>
            {
                Descriptors.Close(channel);
                return new SpareWorkerProcess(workerChannel, masterPid, status, application, baseConfiguration, logging, timeout).Run();
            });
        }
        catch (Exception e) when (e is PosixException or TimeoutException or IOException)
        {
            Log.SpareWorkerForkFailed(_log, e.Message);
            return null;
        }
    }
}
