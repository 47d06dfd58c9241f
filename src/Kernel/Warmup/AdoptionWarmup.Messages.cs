using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Warmup;

internal sealed partial class AdoptionWarmup
{
    /// <summary>
    /// Every message of an adoption, both sides, over socketpairs in this process (they are small enough to wait in
    /// the socket buffer): the Emperor's request read as the base reads one (peer check included), its hand-over to a
    /// spare, the spare's ready report, the request handed on to a spare worker, and the pid reply.
    /// </summary>
    private void RehearseMessages()
    {
        try
        {
            using var session = ControlSocketPair.Create();
            using var control = ControlSocketPair.Create();
            var mask = ForkServerFdMask.Control;
            AdoptionChannel.Send(session.EmperorEnd, null, ["forkserver", "--ini", "rehearsal.ini"], mask, [control.VassalEnd], Deadline());
            _ = PeerCredentials.Of(session.VassalEnd);
            using var request = AdoptionChannel.Receive(session.VassalEnd, timeout, withLeading: false);
            using var handed = HandOver(session.VassalEnd, request);
            using var adopted = HandOnToSpareWorker(handed);
            FdPassing.Send(handed.Leading!.Fd, ForkServerReply.Encode(1), [], Deadline());
        }
        catch (Exception e) when (e is PosixException or TimeoutException or WireFormatException or FdPassingException or EndOfStreamException)
        {
            Log.MessagesRehearsalFailed(_log, e.Message);
        }
    }

    // Base to spare: the request behind the Emperor's connection; the spare reports ready first.
    private HandedRequest HandOver(int connection, HandedRequest request)
    {
        var (baseEnd, spareEnd) = StreamSocketPair.Create("a rehearsed spare");
        try
        {
            SpareVassalProcess.ReportReady(spareEnd, timeout);
            FdPassing.ReceiveExactly(baseEnd, new byte[sizeof(int)], [], Deadline());
            AdoptionChannel.HandOn(baseEnd, connection, request, Deadline());
            return AdoptionChannel.Await(spareEnd, timeout) ?? throw new EndOfStreamException("the rehearsed hand-over arrived empty");
        }
        finally
        {
            Descriptors.Close(baseEnd);
            Descriptors.Close(spareEnd);
        }
    }

    // Master to spare worker: the request behind the write end of the worker's ready pipe.
    private HandedRequest HandOnToSpareWorker(HandedRequest handed)
    {
        var (masterEnd, workerEnd) = StreamSocketPair.Create("a rehearsed spare worker");
        var (readyRead, readyWrite) = VassalMaster.CreateReadyPipe();
        try
        {
            AdoptionChannel.HandOnToSpareWorker(masterEnd, readyWrite, handed, Deadline());
            return AdoptionChannel.Await(workerEnd, timeout) ?? throw new EndOfStreamException("the rehearsed adoption arrived empty");
        }
        finally
        {
            Descriptors.Close(readyRead);
            Descriptors.Close(readyWrite);
            Descriptors.Close(masterEnd);
            Descriptors.Close(workerEnd);
        }
    }
}
