using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The handle, in a spare vassal and then in its adopted master, on a worker forked before its vassal exists: the
/// spare forks it while it waits to be adopted, and once adopted the master makes it worker 1 over a socketpair, the
/// worker channel, instead of forking one. The first worker thus costs the adoption no fork, and it starts serving
/// on its own while the master is still setting itself up. The worker's own side is <see cref="SpareWorkerProcess"/>.
/// </summary>
/// <remarks>
/// Master to worker, as soon as the request is known: the request (<see cref="AdoptionChannel"/>) with the write
/// end of the worker's ready pipe ahead of its fds. The worker runs the vassal's start-up steps and answers with
/// the socket it listens on, which the master serves its other workers on. End of file instead tells the worker
/// its master will never need it, and tells the master the worker could not start: the master then binds and
/// forks worker 1 itself, and reports any error in the configuration in its own words.
/// </remarks>
internal sealed class SpareWorker : IDisposable
{
    private SpareWorker(int pid, int channel, WorkerStatus status)
    {
        Pid = pid;
        Channel = channel;
        Status = status;
    }

    public int Pid { get; }

    /// <summary>The page the worker tells what it is doing on (<see cref="WorkerStatus"/>); the master takes it with the worker.</summary>
    public WorkerStatus? Status { get; private set; }

    /// <summary>The master's end of the channel; -1 once disposed.</summary>
    public int Channel { get; private set; }

    /// <summary>The read end of the worker's ready pipe once it is adopted (<see cref="Adopt"/>); -1 before.</summary>
    public int ReadyPipe { get; private set; } = -1;

    /// <summary>True once the worker has sent its listening socket: it is worker 1, and its ready pipe the master's.</summary>
    public bool IsListening { get; private set; }

    /// <summary>Forks the worker, which runs <paramref name="workerMain"/> with its end of the channel and its status page.</summary>
    public static SpareWorker Fork(Func<int, WorkerStatus, int> workerMain)
    {
        var status = WorkerStatus.Create();
        var (masterEnd, workerEnd) = (-1, -1);
        int pid;
        try
        {
            (masterEnd, workerEnd) = StreamSocketPair.Create("a spare worker");
            pid = ProcessForker.Fork(() =>
            {
                Descriptors.Close(masterEnd);
                return workerMain(workerEnd, status);
            });
        }
        catch
        {
            if (masterEnd >= 0)
            {
                Descriptors.Close(masterEnd);
                Descriptors.Close(workerEnd);
            }

            status.Dispose();
            throw;
        }

        Descriptors.Close(workerEnd);
        return new SpareWorker(pid, masterEnd, status);
    }

    /// <summary>Hands the status page over to the master's record of the worker: disposing this handle leaves it mapped.</summary>
    public WorkerStatus? TakeStatus()
    {
        var status = Status;
        Status = null;
        return status;
    }

    /// <summary>
    /// Hands the worker <paramref name="request"/> (<see cref="AdoptionChannel.HandOnToSpareWorker"/>) behind the write
    /// end of a new ready pipe. The caller keeps its copies of the request's fds.
    /// </summary>
    /// <exception cref="PosixException">The worker is gone.</exception>
    public void Adopt(HandedRequest request, long deadline)
    {
        var (readyRead, readyWrite) = VassalMaster.CreateReadyPipe();
        try
        {
            AdoptionChannel.HandOnToSpareWorker(Channel, readyWrite, request, deadline);
            ReadyPipe = readyRead;
        }
        catch
        {
            Descriptors.Close(readyRead);
            throw;
        }
        finally
        {
            Descriptors.Close(readyWrite);
        }
    }

    /// <summary>
    /// Waits for the worker's listening socket. Null when the worker ended instead or did not answer in time; it is
    /// killed and reaped then, so that it holds no port the master is about to bind and leaves no zombie.
    /// </summary>
    public ListeningSocket? ReceiveListener(ListenerProtocol protocol, long deadline)
    {
        if (AdoptionChannel.ReceiveListener(Channel, protocol, deadline) is { } listener)
        {
            IsListening = true;
            return listener;
        }

        Abandon();
        return null;
    }

    /// <summary>
    /// Gives the worker up (it is gone, or did not start): it is killed if still there and reaped, so that it holds
    /// no port and leaves no zombie; the master forks worker 1 instead.
    /// </summary>
    public void Abandon()
    {
        ProcessCalls.KillAndReap(Pid, ProcessForker.HandOffTimeout);
        Dispose();
    }

    /// <summary>Closes the master's end: a worker still waiting reads end-of-file and exits.</summary>
    public void Dispose()
    {
        if (Channel >= 0)
        {
            Descriptors.Close(Channel);
            Channel = -1;
        }

        if (!IsListening && ReadyPipe >= 0)
        {
            Descriptors.Close(ReadyPipe);
            ReadyPipe = -1;
        }

        Status?.Dispose();
        Status = null;
    }
}
