using System.Runtime.InteropServices;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// A copy of the base forked before any request needs it: detached (so already the Emperor's child) and idle on
/// a socketpair until the base hands it an adoption request. An adoption then waits for no fork: the request
/// costs the base one sendmsg, and the pid reply comes from a process that already runs.
/// </summary>
/// <remarks>
/// The channel carries, spare to base, the spare's pid once it waits (its ready report); base to spare, one
/// request framed as the Emperor sent it, with the Emperor's connection ahead of the request's own fds. Its end of
/// file tells each side that the other is gone: a spare whose base stopped, or dropped it, exits.
/// </remarks>
internal sealed unsafe partial class SpareVassal : IDisposable
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
                close(baseEnd);
                return spareMain(spareEnd);
            }, pidReport);
            intermediates.Watch(intermediate, "a spare vassal");
        }
        catch
        {
            close(baseEnd);
            close(spareEnd);
            pidReport.Dispose();
            throw;
        }

        close(spareEnd);
        pidReport.CloseWriteEnd();
        return new SpareVassal(baseEnd, pidReport);
    }

    /// <summary>Reads what made the channel readable: the ready report, or the spare's end.</summary>
    /// <returns>False when the spare is gone (or broke the channel's protocol): drop it.</returns>
    public bool ReadReport()
    {
        int pid;
        long length = recv(Channel, &pid, sizeof(int), MSG_DONTWAIT);
        if (length < 0 && Marshal.GetLastPInvokeError() is var errno && (errno == EAGAIN || errno == EINTR))
        {
            return true;
        }

        // After the report, only the spare's end can make the channel readable.
        if (IsReady || length != sizeof(int))
        {
            return false;
        }

        IsReady = true;
        Pid = pid;
        return true;
    }

    /// <summary>
    /// Hands the spare an adoption request: <paramref name="connection"/> (for the pid reply) and
    /// <paramref name="fds"/> travel with it; the caller still closes its copies.
    /// </summary>
    /// <exception cref="PosixException">The spare is gone (EPIPE, ECONNRESET).</exception>
    /// <exception cref="TimeoutException">The spare did not take the request before <paramref name="deadline"/>.</exception>
    public void HandOver(int connection, ForkServerRequest request, IReadOnlyList<int> fds, long deadline)
    {
        Span<int> passed = stackalloc int[1 + fds.Count];
        passed[0] = connection;
        for (int i = 0; i < fds.Count; i++)
        {
            passed[1 + i] = fds[i];
        }

        FdPassing.Send(Channel, ForkServerRequest.Encode(request.Argv, request.Mask), passed, deadline);
    }

    /// <summary>Kills a spare that never reported: its pid comes from the intermediate child that forked it.</summary>
    /// <returns>The pid killed, or null if the intermediate never reported one.</returns>
    public int? Kill()
    {
        if (!_pidReport.WaitReadable(TimeSpan.Zero))
        {
            return null;
        }

        int pid = _pidReport.ReadInt32();
        return pid > 0 && ProcessCalls.Kill(pid, SIGKILL) ? pid : null;
    }

    /// <summary>Closes the base's end: a spare still waiting reads end-of-file and exits.</summary>
    public void Dispose()
    {
        if (Channel >= 0)
        {
            close(Channel);
            Channel = -1;
        }

        _pidReport.Dispose();
    }
}
