using System.Buffers.Binary;

namespace ForkServer.Kernel.Wire;

/// <summary>
/// The 4-byte header in front of every uwsgi packet (docs/protocol.md#packet-header): <c>modifier1</c>, the body size
/// as u16 little-endian (header not counted), <c>modifier2</c>.
/// </summary>
internal readonly record struct UwsgiPacketHeader(byte Modifier1, ushort Size, byte Modifier2)
{
    /// <summary>Bytes in a header.</summary>
    public const int Length = 4;

    /// <summary>The largest body a header can announce.</summary>
    public const int MaxBodySize = ushort.MaxValue;

    /// <summary>Reads a header from the first <see cref="Length"/> bytes of <paramref name="source"/>.</summary>
    /// <returns>False when fewer than <see cref="Length"/> bytes are available.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out UwsgiPacketHeader header)
    {
        if (source.Length < Length)
        {
            header = default;
            return false;
        }

        header = new UwsgiPacketHeader(source[0], BinaryPrimitives.ReadUInt16LittleEndian(source[1..]), source[3]);
        return true;
    }

    /// <summary>Writes the header into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        destination[0] = Modifier1;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[1..], Size);
        destination[3] = Modifier2;
    }

    /// <summary>Throws unless the body handed over with this header has the announced size.</summary>
    internal void RequireBody(ReadOnlySpan<byte> body, string packet)
    {
        if (body.Length != Size)
        {
            throw new WireFormatException($"{packet}: the header announces {Size} body bytes but {body.Length} were given");
        }
    }

    /// <summary>Header and body in one new array, the way a packet goes out in a single write.</summary>
    internal static byte[] Frame(byte modifier1, byte modifier2, int bodyLength, string packet)
    {
        if (bodyLength > MaxBodySize)
        {
            // uWSGI keeps the low 16 bits and sends a bad frame (D11, docs/uwsgi-defects.md); refusing is the fix.
            throw new WireFormatException($"{packet}: the body needs {bodyLength} bytes but a uwsgi packet holds at most {MaxBodySize}");
        }

        var packetBytes = new byte[Length + bodyLength];
        new UwsgiPacketHeader(modifier1, (ushort)bodyLength, modifier2).Write(packetBytes);
        return packetBytes;
    }
}
