using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The base's handle on a spare vassal: a copy of the base forked before any request needs it, detached (so
/// already the Emperor's child) and idle on a socketpair, the spare channel, until the base hands it an adoption
/// request. An adoption then waits for no fork: it costs the base one sendmsg, and the pid reply comes from a
/// process that already runs. The spare's own side is <see cref="SpareVassalProcess"/>.
/// </summary>
/// <remarks>
/// The channel carries, spare to base, the spare's pid once it waits (its ready report); base to spare, one
/// request (<see cref="AdoptionChannel"/>) with the Emperor's connection ahead of its fds. Its end of file tells
/// each side that the other is gone: a spare whose base stopped, or dropped it, exits.
/// </remarks>
internal sealed class SpareVassal : IDisposable
{
    private readonly ForkPipe _pidReport;

    private SpareVassal(int channel, ForkPipe pidReport)
    {
        Channel = channel;
        _pidReport = pidReport;
        ReadyBy = Environment.TickCount64 + (long)ProcessForker.HandOffTimeout.TotalMilliseconds;
    }

    /// <summary>The base's end of the channel: readable once for the ready report, then when the spare is gone.</summary>
    public int Channel { get; private set; }

    /// <summary>Whether the spare reported that it waits for a request.</summary>
    public bool IsReady { get; private set; }

    /// <summary>The pid the spare reported with its ready report, or 0 before it.</summary>
    public int Pid { get; private set; }

    /// <summary>When a spare that has not reported ready is taken for stuck (<see cref="Environment.TickCount64"/> ms).</summary>
    public long ReadyBy { get; }

    /// <summary>
    /// Forks a spare that runs <paramref name="spareMain"/> with its end of the channel; the intermediate child of
    /// the double fork goes to <paramref name="intermediates"/> to be reaped.
    /// </summary>
    public static SpareVassal Fork(Func<int, int> spareMain, IntermediateReaper intermediates)
    {
        var (baseEnd, spareEnd) = StreamSocketPair.Create("a spare vassal");
        var pidReport = ForkPipe.Create("the pid of a spare vassal");
        try
        {
            int intermediate = ProcessForker.ForkDetachedUnwaited(() =>
            {
                Descriptors.Close(baseEnd);
                return spareMain(spareEnd);
            }, pidReport);
            intermediates.Watch(intermediate, "a spare vassal");
        }
        catch
        {
            Descriptors.Close(baseEnd);
            Descriptors.Close(spareEnd);
            pidReport.Dispose();
            throw;
        }

        Descriptors.Close(spareEnd);
        pidReport.CloseWriteEnd();
        return new SpareVassal(baseEnd, pidReport);
    }

    /// <summary>Reads what made the channel readable: the ready report, or the spare's end.</summary>
    /// <returns>False when the spare is gone (or broke the channel's protocol): drop it.</returns>
    public bool ReadReport()
    {
        Span<byte> report = stackalloc byte[sizeof(int)];
        var fds = new List<int>(0);
        int length;
        try
        {
            length = FdPassing.ReceiveAvailable(Channel, report, fds);
        }
        catch (Exception e) when (e is PosixException or FdPassingException)
        {
            return false;
        }

        if (length < 0)
        {
            return true;
        }

        // After the report, only the spare's end can make the channel readable; the report carries no fds.
        Descriptors.CloseAll(fds);
        if (IsReady || length != sizeof(int) || fds.Count != 0)
        {
            return false;
        }

        IsReady = true;
        Pid = BitConverter.ToInt32(report);
        return true;
    }

    /// <summary>
    /// Hands the spare <paramref name="request"/>, with <paramref name="connection"/> (for the pid reply) ahead of
    /// its fds; the caller still closes its copies.
    /// </summary>
    /// <exception cref="PosixException">The spare is gone (EPIPE, ECONNRESET).</exception>
    /// <exception cref="TimeoutException">The spare did not take the request before <paramref name="deadline"/>.</exception>
    public void HandOver(int connection, HandedRequest request, long deadline)
        => AdoptionChannel.HandOn(Channel, connection, request, deadline);

    /// <summary>Kills a spare that never reported: its pid comes from the intermediate child that forked it.</summary>
    /// <returns>The pid killed, or null if the intermediate never reported one.</returns>
    public int? Kill()
    {
        if (!_pidReport.WaitReadable(TimeSpan.Zero))
        {
            return null;
        }

        int pid = _pidReport.ReadInt32();
        return pid > 0 && ProcessCalls.Kill(pid, Signals.SIGKILL) ? pid : null;
    }

    /// <summary>Closes the base's end: a spare still waiting reads end-of-file and exits.</summary>
    public void Dispose()
    {
        if (Channel >= 0)
        {
            Descriptors.Close(Channel);
            Channel = -1;
        }

        _pidReport.Dispose();
    }
}
