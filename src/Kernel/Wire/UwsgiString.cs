using System.Buffers.Binary;
using System.Text;

namespace ForkServer.Kernel.Wire;

/// <summary>
/// The length-prefixed string that array items, dictionary keys and dictionary values are made of
/// (u16 little-endian byte count, then that many UTF-8 bytes, no terminator).
/// </summary>
internal static class UwsgiString
{
    private const int PrefixLength = 2;

    // Strict both ways: a replacement character would silently change an argv item or a pid.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The encoded size of <paramref name="value"/>, prefix included.</summary>
    public static int EncodedLength(string value, string what)
    {
        int bytes;
        try
        {
            bytes = Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new WireFormatException($"{what} is not valid Unicode and cannot be encoded as UTF-8: {e.Message}");
        }

        return bytes > ushort.MaxValue
            ? throw new WireFormatException($"{what} is {bytes} bytes long; a uwsgi string holds at most {ushort.MaxValue}")
            : PrefixLength + bytes;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="offset"/> and moves past it.</summary>
    /// <remarks>Call <see cref="EncodedLength"/> first: it validates the value and sizes the destination.</remarks>
    public static void Write(string value, Span<byte> destination, ref int offset)
    {
        int bytes = Strict.GetBytes(value, destination[(offset + PrefixLength)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], (ushort)bytes);
        offset += PrefixLength + bytes;
    }

    /// <summary>Reads the string at <paramref name="offset"/> and moves past it.</summary>
    public static string Read(ReadOnlySpan<byte> body, ref int offset, string what)
    {
        if (body.Length - offset < PrefixLength)
        {
            throw new WireFormatException($"{what}: the body ends inside its 2-byte length", offset);
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(body[offset..]);
        int start = offset + PrefixLength;
        if (body.Length - start < length)
        {
            throw new WireFormatException($"{what}: its length {length} runs past the body end ({body.Length - start} bytes left)", offset);
        }

        string value;
        try
        {
            value = Strict.GetString(body.Slice(start, length));
        }
        catch (DecoderFallbackException e)
        {
            throw new WireFormatException($"{what} is not valid UTF-8", offset, e);
        }

        offset = start + length;
        return value;
    }
}
