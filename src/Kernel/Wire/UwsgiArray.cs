namespace ForkServer.Kernel.Wire;

/// <summary>
/// The serialized string array used for argv (docs/protocol.md#string-array): items back to back, each a u16le length
/// and UTF-8 bytes, no count field (the body end is the end of the array).
/// </summary>
internal static class UwsgiArray
{
    /// <summary>Encodes <paramref name="items"/> as a body.</summary>
    /// <exception cref="WireFormatException">An item or the whole body exceeds 65535 bytes.</exception>
    public static byte[] Encode(IReadOnlyList<string> items)
    {
        var body = new byte[EncodedLength(items)];
        int offset = 0;
        Write(items, body, ref offset);
        return body;
    }

    /// <summary>Decodes a body into its items.</summary>
    /// <exception cref="WireFormatException">An item runs past the body end or is not UTF-8.</exception>
    public static IReadOnlyList<string> Decode(ReadOnlySpan<byte> body)
    {
        var items = new List<string>();
        int offset = 0;
        while (offset < body.Length)
        {
            items.Add(UwsgiString.Read(body, ref offset, $"array item {items.Count}"));
        }

        return items;
    }

    /// <summary>The body size of <paramref name="items"/>, validated against the 16-bit packet limit.</summary>
    internal static int EncodedLength(IReadOnlyList<string> items)
    {
        int total = 0;
        for (int i = 0; i < items.Count; i++)
        {
            total += UwsgiString.EncodedLength(items[i], $"array item {i}");
            if (total > UwsgiPacketHeader.MaxBodySize)
            {
                throw new WireFormatException(
                    $"the array needs more than {UwsgiPacketHeader.MaxBodySize} bytes by item {i} of {items.Count}; it does not fit a uwsgi packet");
            }
        }

        return total;
    }

    internal static void Write(IReadOnlyList<string> items, Span<byte> destination, ref int offset)
    {
        foreach (string item in items)
        {
            UwsgiString.Write(item, destination, ref offset);
        }
    }
}
