using ForkServer.Abstractions;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Vassal;

internal sealed partial class SpareWorker
{
    /// <summary>
    /// Plays both sides of a spare worker's adoption over a socketpair in this process: the arguments with a ready
    /// pipe and an Emperor link, the worker binding <paramref name="settings"/>' HTTP socket and sending it back.
    /// For the base's rehearsal: otherwise each adopted master compiled its side (and P/Invoke stubs) between its
    /// pid reply and the message that lets its worker start, and each worker compiled its own.
    /// </summary>
    /// <exception cref="PosixException">A socket call failed.</exception>
    /// <exception cref="StartupException">The HTTP socket could not be bound.</exception>
    public static void Rehearse(VassalSettings settings, IOptionValues options, ILogger log, TimeSpan timeout)
    {
        var (masterEnd, workerEnd) = StreamSocketPair.Create("a rehearsed spare worker");
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        try
        {
            // Any socket stands in for the Emperor link: the worker's end of the channel itself.
            close(SendAdoption(masterEnd, ["forkserver", "--ini", "rehearsal.ini"], workerEnd, null, deadline));
            var adoption = AwaitAdoption(workerEnd, timeout) ?? throw new EndOfStreamException("the rehearsed adoption arrived empty");
            close(adoption.ReadyPipe);
            close(adoption.Emperor!.Value);
            using (var listener = VassalStartup.Listen(settings, options, adoption.OnDemand, log))
            {
                SendListener(workerEnd, listener.Fd, deadline);
            }

            using var received = ReceiveListener(masterEnd, deadline) ?? throw new EndOfStreamException("the rehearsed listener did not arrive");
        }
        finally
        {
            close(masterEnd);
            close(workerEnd);
        }
    }
}
