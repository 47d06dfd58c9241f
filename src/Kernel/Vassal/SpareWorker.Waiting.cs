using System.Buffers.Binary;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Vassal;

internal sealed partial class SpareWorker
{
    /// <summary>In the spare worker: waits, for as long as it takes, for the vassal's arguments.</summary>
    /// <returns>The arguments, or null when the master closed the channel instead.</returns>
    /// <exception cref="WireFormatException">What came is not an argument array.</exception>
    public static IReadOnlyList<string>? AwaitArguments(int channel, TimeSpan timeout)
    {
        if (!FdPassing.WaitForData(channel))
        {
            return null;
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var fds = new List<int>();
        Span<byte> length = stackalloc byte[sizeof(int)];
        FdPassing.ReceiveExactly(channel, length, fds, deadline);
        int size = BinaryPrimitives.ReadInt32LittleEndian(length);
        if (fds.Count != 0 || size is < 0 or > UwsgiPacketHeader.MaxBodySize)
        {
            FdPassing.CloseAll(fds);
            throw new WireFormatException($"a spare worker's arguments: {size} bytes with {fds.Count} fd(s)");
        }

        byte[] array = new byte[size];
        FdPassing.ReceiveExactly(channel, array, fds, deadline);
        return UwsgiArray.Decode(array);
    }

    /// <summary>In the spare worker: waits for the start (or the master's end).</summary>
    /// <returns>What to become and serve, or null when the master closed the channel instead.</returns>
    /// <exception cref="WireFormatException">What came is not a start with two or three fds.</exception>
    public static WorkerStart? AwaitStart(int channel, TimeSpan timeout)
    {
        if (!FdPassing.WaitForData(channel))
        {
            return null;
        }

        var fds = new List<int>();
        Span<byte> ids = stackalloc byte[2 * sizeof(uint)];
        FdPassing.ReceiveExactly(channel, ids, fds, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        if (fds.Count is not (2 or 3))
        {
            FdPassing.CloseAll(fds);
            throw new WireFormatException($"a spare worker's start came with {fds.Count} fd(s), not 2 or 3");
        }

        return new WorkerStart(
            BinaryPrimitives.ReadUInt32LittleEndian(ids),
            BinaryPrimitives.ReadUInt32LittleEndian(ids[sizeof(uint)..]),
            fds[0],
            fds[1],
            fds.Count == 3 ? fds[2] : null);
    }

    /// <summary>What a spare worker is told to become: its ids, and the fds it serves and reports on.</summary>
    public sealed record WorkerStart(uint Uid, uint Gid, int Listener, int ReadyPipe, int? Emperor);
}
