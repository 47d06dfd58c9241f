using ForkServer.Abstractions;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Adoption;

internal sealed partial class ForkServerBase
{
    private unsafe void OnConnection(UnixListeningSocket listener, SpareSupply spares, TimeSpan timeout)
    {
        if (SocketAccept.Next(listener.Fd, null, out int connection, out int errno) != AcceptOutcome.Accepted)
        {
            if (errno != 0)
            {
                Log.AcceptFailed(_log, errno);
            }

            return;
        }

        try
        {
            Adopt(connection, spares, timeout);
        }
        catch (Exception e) when (e is WireFormatException or TimeoutException or IOException or PosixException or FdPassingException or UnauthorizedAccessException)
        {
            // IOException: the Emperor's end of stream, or no spare could be forked for the request.
            Log.RequestRefused(_log, e.Message);
        }
        finally
        {
            close(connection);
        }
    }

    private void Adopt(int connection, SpareSupply spares, TimeSpan timeout)
    {
        var peer = PeerCredentials.Of(connection);
        if (peer.Uid != 0 && peer.Uid != getuid())
        {
            throw new UnauthorizedAccessException($"connection from pid {peer.Pid} uid {peer.Uid}: only root or uid {getuid()} may adopt");
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var (request, fds) = AdoptionRequestReader.Read(connection, timeout);
        Log.Adopting(_log, string.Join(' ', request.Argv), peer.Pid, fds.Count);
        _requestInFlight = [connection, .. fds];
        try
        {
            spares.HandOver(connection, request, fds, deadline);
        }
        finally
        {
            _requestInFlight = [];
            FdPassing.CloseAll(fds);
        }
    }

    /// <summary>
    /// The life of a spare: drop the base's descriptors, fork its own first worker (<see cref="SpareWorker"/>), wait
    /// for a request, become the vassal it asks for. The spare, not the base, answers the Emperor with its pid.
    /// </summary>
    private int RunSpare(int channel, bool requested, IPreloadedApplication application, TimeSpan timeout, Action releaseBase)
    {
        releaseBase();
        ProcessTitle.Set("fs spare");
        // A spare forked for a request that is on its way: forking a worker first would only delay the Emperor's
        // pid reply, so its master forks every worker.
        using var worker = requested ? null : ForkSpareWorker(channel, application, timeout);
        SpareVassal.HandedRequest? handed;
        try
        {
            handed = SpareVassal.AwaitRequest(channel, timeout);
        }
        catch (Exception e) when (e is WireFormatException or TimeoutException or EndOfStreamException or PosixException or FdPassingException)
        {
            Log.HandOverUnreadable(_log, e.Message);
            return 1;
        }
        finally
        {
            close(channel);
        }

        return handed is null
            ? 0
            : new AdoptedVassal(handed.Connection, handed.Request, handed.Fds, worker, application, configuration, logging, timeout).Run();
    }

    /// <summary>Without one (the fork failed) the adopted master forks all its workers itself.</summary>
    private SpareWorker? ForkSpareWorker(int spareChannel, IPreloadedApplication application, TimeSpan timeout)
    {
        int masterPid = ProcessCalls.GetPid();
        try
        {
            application.PrepareForFork();
            return SpareWorker.Fork(workerChannel =>
            {
                close(spareChannel);
                return new AdoptedWorker(workerChannel, masterPid, application, configuration, logging, timeout).Run();
            });
        }
        catch (Exception e) when (e is PosixException or TimeoutException or IOException)
        {
            Log.SpareWorkerForkFailed(_log, e.Message);
            return null;
        }
    }
}
