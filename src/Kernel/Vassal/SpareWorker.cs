using System.Buffers.Binary;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// A worker forked before its vassal exists: a spare vassal forks one while it waits to be adopted, and once
/// adopted its master makes it worker 1 over a socketpair instead of forking one. The first worker thus costs the
/// adoption no fork, and it starts serving on its own while the master is still setting itself up.
/// </summary>
/// <remarks>
/// Two messages. Master to worker, as soon as the request is known: the vassal's arguments (the array's length,
/// which optional fds follow, then a uwsgi array) with the ready pipe's write end, then the Emperor link and the
/// on-demand socket when there are. The worker builds the vassal's options, binds its HTTP socket (or takes the
/// on-demand one) and answers with one byte and the listening socket attached, which the master serves its other
/// workers on; then it becomes whom the options say and serves. End of file instead of a message tells the worker
/// its master will never need it, and tells the master the worker could not start: the master then binds and
/// forks worker 1 itself, and reports any error in the configuration in its own words.
/// </remarks>
internal sealed partial class SpareWorker : IDisposable
{
    private const int EmperorAttached = 1;
    private const int OnDemandAttached = 2;

    private SpareWorker(int pid, int channel)
    {
        Pid = pid;
        Channel = channel;
    }

    public int Pid { get; }

    /// <summary>The master's end of the channel; -1 once disposed.</summary>
    public int Channel { get; private set; }

    /// <summary>The read end of the worker's ready pipe once it is adopted (<see cref="Adopt"/>); -1 before.</summary>
    public int ReadyPipe { get; private set; } = -1;

    /// <summary>True once the worker has sent its listening socket: it is worker 1.</summary>
    public bool IsListening { get; private set; }

    /// <summary>Forks the worker, which runs <paramref name="workerMain"/> with its end of the channel.</summary>
    public static SpareWorker Fork(Func<int, int> workerMain)
    {
        var (masterEnd, workerEnd) = StreamSocketPair.Create("a spare worker");
        int pid;
        try
        {
            pid = ProcessForker.Fork(() =>
            {
                close(masterEnd);
                return workerMain(workerEnd);
            });
        }
        catch
        {
            close(masterEnd);
            close(workerEnd);
            throw;
        }

        close(workerEnd);
        return new SpareWorker(pid, masterEnd);
    }

    /// <summary>
    /// Sends the vassal's arguments and the fds the worker needs to start on its own: a new ready pipe's write end,
    /// the Emperor link and the on-demand socket when there are. The caller keeps its copies of the last two.
    /// </summary>
    /// <exception cref="PosixException">The worker is gone.</exception>
    public void Adopt(IReadOnlyList<string> argv, int? emperor, int? onDemand, long deadline)
        => ReadyPipe = SendAdoption(Channel, argv, emperor, onDemand, deadline);

    /// <summary><see cref="Adopt"/> over <paramref name="channel"/>; returns the ready pipe's read end.</summary>
    private static int SendAdoption(int channel, IReadOnlyList<string> argv, int? emperor, int? onDemand, long deadline)
    {
        byte[] array = UwsgiArray.Encode(argv);
        byte[] message = new byte[2 * sizeof(int) + array.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, array.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(sizeof(int)), (emperor is null ? 0 : EmperorAttached) | (onDemand is null ? 0 : OnDemandAttached));
        array.CopyTo(message, 2 * sizeof(int));

        var (readyRead, readyWrite) = VassalMaster.CreateReadyPipe();
        var fds = new List<int>(3) { readyWrite };
        if (emperor is { } link)
        {
            fds.Add(link);
        }

        if (onDemand is { } socket)
        {
            fds.Add(socket);
        }

        try
        {
            FdPassing.Send(channel, message, fds.ToArray(), deadline);
            return readyRead;
        }
        catch
        {
            close(readyRead);
            throw;
        }
        finally
        {
            close(readyWrite);
        }
    }

    /// <summary>
    /// Waits for the worker's listening socket. Null when the worker ended instead or did not answer in time; it is
    /// killed and reaped then, so that it holds no port the master is about to bind and leaves no zombie.
    /// </summary>
    public ListeningSocket? ReceiveListener(long deadline)
    {
        if (ReceiveListener(Channel, deadline) is { } listener)
        {
            IsListening = true;
            return listener;
        }

        Abandon();
        return null;
    }

    private static ListeningSocket? ReceiveListener(int channel, long deadline)
    {
        var fds = new List<int>();
        Span<byte> ok = stackalloc byte[1];
        try
        {
            FdPassing.ReceiveExactly(channel, ok, fds, deadline);
            if (fds.Count == 1)
            {
                return ListeningSocket.FromFd(fds[0]);
            }
        }
        catch (Exception e) when (e is TimeoutException or EndOfStreamException or PosixException or FdPassingException)
        {
            // Falls through: the master starts without it.
        }

        FdPassing.CloseAll(fds);
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
            close(Channel);
            Channel = -1;
        }

        if (!IsListening && ReadyPipe >= 0)
        {
            close(ReadyPipe);
            ReadyPipe = -1;
        }
    }
}
