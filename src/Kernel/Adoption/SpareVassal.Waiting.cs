using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Adoption;

internal sealed partial class SpareVassal
{
    /// <summary>
    /// In the spare: reports ready, then waits, for as long as it takes, for the base to hand it a request.
    /// </summary>
    /// <param name="channel">The spare's end of the channel.</param>
    /// <param name="timeout">Bound on reading the request once its first byte has come.</param>
    /// <returns>The request, or null when the base closed the channel instead: it stopped, or dropped this spare.</returns>
    /// <exception cref="WireFormatException">What the base sent is not a request with the Emperor's connection.</exception>
    public static unsafe HandedRequest? AwaitRequest(int channel, TimeSpan timeout)
    {
        // Unchecked: a base that handed a request over before this report came has closed its end already (EPIPE),
        // and the request still waits in the channel.
        int pid = ProcessCalls.GetPid();
        _ = send(channel, &pid, sizeof(int), MSG_NOSIGNAL);

        if (!FdPassing.WaitForData(channel))
        {
            return null;
        }

        var (request, fds) = AdoptionRequestReader.Read(channel, timeout, leadingFds: 1);
        var own = new int[fds.Count - 1];
        for (int i = 0; i < own.Length; i++)
        {
            own[i] = fds[i + 1];
        }

        return new HandedRequest(fds[0], request, own);
    }

    /// <summary>An adoption request as a spare receives it: the Emperor's connection, the request, its fds.</summary>
    public sealed record HandedRequest(int Connection, ForkServerRequest Request, int[] Fds);
}
