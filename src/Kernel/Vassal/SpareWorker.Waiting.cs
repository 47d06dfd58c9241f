using System.Buffers.Binary;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Vassal;

internal sealed partial class SpareWorker
{
    /// <summary>In the spare worker: waits, for as long as it takes, for its vassal's arguments and fds.</summary>
    /// <returns>What it was adopted for, or null when the master closed the channel instead.</returns>
    /// <exception cref="WireFormatException">What came is not an adoption message.</exception>
    public static Adoption? AwaitAdoption(int channel, TimeSpan timeout)
    {
        if (!FdPassing.WaitForData(channel))
        {
            return null;
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var fds = new List<int>();
        Span<byte> header = stackalloc byte[2 * sizeof(int)];
        FdPassing.ReceiveExactly(channel, header, fds, deadline);
        int size = BinaryPrimitives.ReadInt32LittleEndian(header);
        int attached = BinaryPrimitives.ReadInt32LittleEndian(header[sizeof(int)..]);
        bool emperor = (attached & EmperorAttached) != 0, onDemand = (attached & OnDemandAttached) != 0;
        int expected = 1 + (emperor ? 1 : 0) + (onDemand ? 1 : 0);
        if (fds.Count != expected || size is < 0 or > UwsgiPacketHeader.MaxBodySize || (attached & ~(EmperorAttached | OnDemandAttached)) != 0)
        {
            FdPassing.CloseAll(fds);
            throw new WireFormatException($"a spare worker's adoption: {size} bytes, flags {attached}, with {fds.Count} fd(s)");
        }

        byte[] array = new byte[size];
        FdPassing.ReceiveExactly(channel, array, fds, deadline);
        if (fds.Count != expected)
        {
            FdPassing.CloseAll(fds);
            throw new WireFormatException($"a spare worker's adoption: {fds.Count - expected} fd(s) too many");
        }

        return new Adoption(UwsgiArray.Decode(array), fds[0], emperor ? fds[1] : null, onDemand ? fds[expected - 1] : null);
    }

    /// <summary>In the spare worker: gives the master the socket it listens on, which makes it worker 1.</summary>
    /// <exception cref="PosixException">The master is gone.</exception>
    public static void SendListener(int channel, int listener, long deadline)
        => FdPassing.Send(channel, [1], [listener], deadline);

    /// <summary>What a spare worker is adopted for: the vassal's arguments, and the fds it reports and serves on.</summary>
    /// <param name="Argv">The arguments the Emperor sent for the vassal.</param>
    /// <param name="ReadyPipe">The write end of the pipe it reports ready on.</param>
    /// <param name="Emperor">The Emperor link, if the vassal has one.</param>
    /// <param name="OnDemand">The listening socket the Emperor kept from this vassal's previous process, if any.</param>
    public sealed record Adoption(IReadOnlyList<string> Argv, int ReadyPipe, int? Emperor, int? OnDemand);
}
