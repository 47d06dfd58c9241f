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
/// adoption no fork, and builds its options from the vassal's arguments while the master binds and drops privileges.
/// </summary>
/// <remarks>
/// Two messages, master to worker: the vassal's arguments (a length, then a uwsgi array), as soon as the request
/// is known; then the uid and gid to become, with the listening socket, the ready pipe and the Emperor link
/// attached. End of file before either tells the worker its master will never need it.
/// </remarks>
internal sealed unsafe partial class SpareWorker : IDisposable
{
    private SpareWorker(int pid, int channel)
    {
        Pid = pid;
        Channel = channel;
    }

    public int Pid { get; }

    /// <summary>The master's end of the channel; -1 once disposed.</summary>
    public int Channel { get; private set; }

    /// <summary>Forks the worker, which runs <paramref name="workerMain"/> with its end of the channel.</summary>
    public static SpareWorker Fork(Func<int, int> workerMain)
    {
        int* ends = stackalloc int[2];
        PosixException.ThrowIfFailed(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends), "socketpair(AF_UNIX, SOCK_STREAM) for a spare worker");
        int masterEnd = ends[0], workerEnd = ends[1];
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

    /// <summary>Sends the vassal's arguments, for the worker to build the vassal's options from.</summary>
    /// <exception cref="PosixException">The worker is gone.</exception>
    public void SendArguments(IReadOnlyList<string> argv, long deadline)
    {
        byte[] array = UwsgiArray.Encode(argv);
        byte[] message = new byte[sizeof(int) + array.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, array.Length);
        array.CopyTo(message, sizeof(int));
        FdPassing.Send(Channel, message, [], deadline);
    }

    /// <summary>
    /// Makes it a worker: it becomes this process's uid and gid and serves <paramref name="listener"/>, reporting
    /// ready on <paramref name="readyPipe"/>. The caller still closes its copies of the fds.
    /// </summary>
    /// <exception cref="PosixException">The worker is gone.</exception>
    public void Start(ListeningSocket listener, int readyPipe, EmperorLink? emperor, long deadline)
    {
        byte* ids = stackalloc byte[2 * sizeof(uint)];
        var payload = new Span<byte>(ids, 2 * sizeof(uint));
        BinaryPrimitives.WriteUInt32LittleEndian(payload, getuid());
        BinaryPrimitives.WriteUInt32LittleEndian(payload[sizeof(uint)..], getgid());
        ReadOnlySpan<int> fds = emperor is null ? [listener.Fd, readyPipe] : [listener.Fd, readyPipe, emperor.Fd];
        FdPassing.Send(Channel, payload, fds, deadline);
    }

    /// <summary>Closes the master's end: a worker still waiting reads end-of-file and exits.</summary>
    public void Dispose()
    {
        if (Channel >= 0)
        {
            close(Channel);
            Channel = -1;
        }
    }
}
