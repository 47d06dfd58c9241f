using System.Buffers;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>
/// Decodes a chunked request body (RFC 9112 §7.1) incrementally, as bytes arrive, into <paramref name="body"/>.
/// Chunk extensions and trailer fields are skipped: the handler gets the body only.
/// </summary>
internal sealed class ChunkedBodyDecoder(IBufferWriter<byte> body, long maxBodyBytes, int maxTrailerBytes)
{
    // A chunk-size line is a few hex digits; the room is for extensions, which nobody should need more of.
    private const int MaxSizeLineBytes = 4096;

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    private long _decoded;
    private Stage _stage = Stage.SizeLine;
    private long _chunkRemaining;
    private int _trailerBytes;

    private enum Stage
    {
        SizeLine,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    /// <summary>Consumes as much of <paramref name="input"/> as belongs to the body.</summary>
    /// <param name="input">Bytes received after what was consumed before.</param>
    /// <param name="consumed">How many bytes were used; the rest is the next request.</param>
    /// <returns>True when the last chunk and the trailer section were read.</returns>
    /// <exception cref="HttpProtocolException">Malformed chunk framing (400) or a body over the limit (413).</exception>
    public bool Decode(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        while (_stage != Stage.Done)
        {
            var rest = input[consumed..];
            switch (_stage)
            {
                case Stage.SizeLine:
                    int lineEnd = LineEnd(rest);
                    if (lineEnd < 0)
                    {
                        return rest.Length > MaxSizeLineBytes ? throw Malformed() : false;
                    }

                    _chunkRemaining = ParseChunkSize(rest[..lineEnd]);
                    consumed += lineEnd + 2;
                    if (_decoded + _chunkRemaining > maxBodyBytes)
                    {
                        throw new HttpProtocolException(413, "request body too large");
                    }

                    _stage = _chunkRemaining == 0 ? Stage.Trailer : Stage.Data;
                    break;

                case Stage.Data:
                    int take = (int)Math.Min(_chunkRemaining, rest.Length);
                    if (take == 0)
                    {
                        return false;
                    }

                    body.Write(rest[..take]);
                    _decoded += take;
                    consumed += take;
                    _chunkRemaining -= take;
                    _stage = _chunkRemaining == 0 ? Stage.DataEnd : Stage.Data;
                    break;

                case Stage.DataEnd:
                    if (rest.Length < 2)
                    {
                        return false;
                    }

                    consumed += rest.StartsWith("\r\n"u8) ? 2 : throw Malformed();
                    _stage = Stage.SizeLine;
                    break;

                case Stage.Trailer:
                    int fieldEnd = LineEnd(rest);
                    int seen = _trailerBytes + (fieldEnd < 0 ? rest.Length : fieldEnd + 2);
                    if (seen > maxTrailerBytes)
                    {
                        throw new HttpProtocolException(431, "trailer fields too large");
                    }

                    if (fieldEnd < 0)
                    {
                        return false;
                    }

                    _trailerBytes = seen;
                    consumed += fieldEnd + 2;
                    _stage = fieldEnd == 0 ? Stage.Done : Stage.Trailer;
                    break;
            }
        }

        return true;
    }

    /// <summary>Where the CRLF ending the first line of <paramref name="rest"/> starts; -1 when it has not arrived.</summary>
    /// <exception cref="HttpProtocolException">The line ends with a bare LF, so the CRLF waited for would never come.</exception>
    private static int LineEnd(ReadOnlySpan<byte> rest)
    {
        int lineFeed = rest.IndexOf((byte)'\n');
        return lineFeed < 0 ? -1
            : lineFeed > 0 && rest[lineFeed - 1] == '\r' ? lineFeed - 1
            : throw Malformed();
    }

    private static long ParseChunkSize(ReadOnlySpan<byte> line)
    {
        int extension = line.IndexOf((byte)';');
        var digits = (extension < 0 ? line : line[..extension]).TrimEnd(" \t"u8);

        // Fifteen hex digits cannot overflow a long.
        if (digits.IsEmpty || digits.Length > 15 || digits.ContainsAnyExcept(HexDigits))
        {
            throw Malformed();
        }

        long size = 0;
        foreach (byte digit in digits)
        {
            size = (size << 4) | (long)HexValue(digit);
        }

        return size;
    }

    private static int HexValue(byte digit) => digit switch
    {
        <= (byte)'9' => digit - '0',
        <= (byte)'F' => digit - 'A' + 10,
        _ => digit - 'a' + 10,
    };

    private static HttpProtocolException Malformed() => new(400, "malformed chunked body");
}
