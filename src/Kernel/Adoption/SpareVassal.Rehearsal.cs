using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Adoption;

internal sealed partial class SpareVassal
{
    /// <summary>
    /// Plays one hand-over, both sides, between the ends of a socketpair in this process (the messages are small
    /// enough to wait in the socket buffer). For the base's rehearsal: otherwise each spare compiled the receiving
    /// side, and its P/Invoke stubs, between the Emperor's request and the pid reply.
    /// </summary>
    /// <param name="request">What to hand over: the request the base's own session rehearsal read.</param>
    /// <param name="timeout">Bound on each side.</param>
    public static void Rehearse(ForkServerRequest request, TimeSpan timeout)
    {
        var (baseEnd, spareEnd) = StreamSocketPair.Create("a rehearsed spare");
        try
        {
            using var spare = new SpareVassal(baseEnd, ForkPipe.Create("the pid of a rehearsed spare"));
            spare.HandOver(spareEnd, request, [spareEnd], Environment.TickCount64 + (long)timeout.TotalMilliseconds);
            var handed = AwaitRequest(spareEnd, timeout) ?? throw new EndOfStreamException("the rehearsed hand-over arrived empty");
            spare.ReadReport();
            close(handed.Connection);
            FdPassing.CloseAll(handed.Fds);
        }
        finally
        {
            close(spareEnd);
        }
    }
}
