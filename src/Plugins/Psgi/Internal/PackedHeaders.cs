using System.Buffers.Binary;
using System.Text;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// Response headers as the glue packs them, <c>pack('(V/a*)*', name, value, ...)</c>: each string is a
/// little-endian 32-bit length and that many bytes. Bytes become Latin-1 strings, as <c>IResponse</c> wants.
/// </summary>
internal static class PackedHeaders
{
    public static List<KeyValuePair<string, string>> Decode(ReadOnlySpan<byte> packed)
    {
        var headers = new List<KeyValuePair<string, string>>(4);
        while (!packed.IsEmpty)
        {
            string name = ReadString(ref packed);
            string value = packed.IsEmpty ? "" : ReadString(ref packed);
            headers.Add(new(name, value));
        }

        return headers;
    }

    public static bool Contains(List<KeyValuePair<string, string>> headers, string name)
    {
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>1xx, 204 and 304 responses have no body, so they must not announce one.</summary>
    public static bool AllowsContentLength(int status) => status >= 200 && status != 204 && status != 304;

    private static string ReadString(ref ReadOnlySpan<byte> packed)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(packed);
        string text = Encoding.Latin1.GetString(packed.Slice(4, length));
        packed = packed[(4 + length)..];
        return text;
    }
}
