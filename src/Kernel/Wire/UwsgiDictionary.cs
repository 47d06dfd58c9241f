namespace ForkServer.Kernel.Wire;

/// <summary>
/// The serialized dictionary (docs/protocol.md#dictionary): key/value pairs back to back, each string a u16le length
/// and UTF-8 bytes. Keys are never empty; values may be. Order and duplicates are kept as sent.
/// </summary>
internal static class UwsgiDictionary
{
    /// <summary>Encodes <paramref name="pairs"/> as a body.</summary>
    /// <exception cref="WireFormatException">A key is empty, or a string or the body exceeds 65535 bytes.</exception>
    public static byte[] Encode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var list = pairs as IReadOnlyList<KeyValuePair<string, string>> ?? pairs.ToList();
        int total = 0;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Key.Length == 0)
            {
                throw new WireFormatException($"dictionary entry {i} has an empty key");
            }

            total += UwsgiString.EncodedLength(list[i].Key, $"dictionary key {i}")
                + UwsgiString.EncodedLength(list[i].Value, $"value of dictionary key '{list[i].Key}'");
            if (total > UwsgiPacketHeader.MaxBodySize)
            {
                throw new WireFormatException(
                    $"the dictionary needs more than {UwsgiPacketHeader.MaxBodySize} bytes by entry {i}; it does not fit a uwsgi packet");
            }
        }

        var body = new byte[total];
        int offset = 0;
        foreach (var pair in list)
        {
            UwsgiString.Write(pair.Key, body, ref offset);
            UwsgiString.Write(pair.Value, body, ref offset);
        }

        return body;
    }

    /// <summary>Decodes a body into its pairs, in wire order.</summary>
    /// <exception cref="WireFormatException">A string runs past the body end, a key is empty, or bytes are not UTF-8.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Decode(ReadOnlySpan<byte> body)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        int offset = 0;
        while (offset < body.Length)
        {
            int keyOffset = offset;
            string key = UwsgiString.Read(body, ref offset, $"dictionary key {pairs.Count}");
            if (key.Length == 0)
            {
                throw new WireFormatException($"dictionary key {pairs.Count} is empty", keyOffset);
            }

            string value = UwsgiString.Read(body, ref offset, $"value of dictionary key '{key}'");
            pairs.Add(new KeyValuePair<string, string>(key, value));
        }

        return pairs;
    }
}
