using System.Text;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>The header fields that decide framing and persistence, collected while the head is parsed.</summary>
internal struct RequestFieldSummary
{
    private long _contentLength;
    private bool _hasContentLength;
    private int _transferEncodings;
    private bool _onlyChunked;
    private bool _close;
    private bool _keepAlive;
    private bool _expectContinue;
    private int _hosts;

    /// <summary>Takes note of one field.</summary>
    /// <exception cref="HttpProtocolException">A Content-Length that is not a number or differs from an earlier one.</exception>
    public void Observe(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            long length = ParseContentLength(value);
            if (_hasContentLength && length != _contentLength)
            {
                throw new HttpProtocolException(400, "conflicting Content-Length fields");
            }

            _hasContentLength = true;
            _contentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            _onlyChunked = (_transferEncodings == 0 || _onlyChunked) && Ascii.EqualsIgnoreCase(value, "chunked"u8);
            _transferEncodings++;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            foreach (var range in value.Split((byte)','))
            {
                var option = value[range].Trim(" \t"u8);
                _close |= Ascii.EqualsIgnoreCase(option, "close"u8);
                _keepAlive |= Ascii.EqualsIgnoreCase(option, "keep-alive"u8);
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "Host"u8))
        {
            _hosts++;
        }
        else if (Ascii.EqualsIgnoreCase(name, "Expect"u8))
        {
            _expectContinue = Ascii.EqualsIgnoreCase(value, "100-continue"u8);
        }
    }

    /// <summary>Decides body framing and persistence once all fields are seen.</summary>
    /// <exception cref="HttpProtocolException">
    /// Both Content-Length and Transfer-Encoding (a smuggling vector), a coding other than chunked, Transfer-Encoding
    /// in HTTP/1.0, or not exactly one Host in HTTP/1.1 (RFC 9112 §3.2; two in any version).
    /// </exception>
    public readonly RequestFraming ToFraming(string protocol)
    {
        bool http11 = ReferenceEquals(protocol, HttpTokens.Http11);
        if (_hosts > 1 || (http11 && _hosts == 0))
        {
            throw new HttpProtocolException(400, _hosts == 0 ? "no Host header field" : "more than one Host header field");
        }

        bool keepAlive = !_close && (http11 || _keepAlive);
        bool expectContinue = _expectContinue && http11;
        if (_transferEncodings > 0)
        {
            // HTTP/1.0 has no chunked coding (RFC 9112 §6.1): a body whose end the sender and a proxy in front may
            // see differently. Refused as nginx does.
            if (!http11)
            {
                throw new HttpProtocolException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }

            if (_hasContentLength)
            {
                throw new HttpProtocolException(400, "both Content-Length and Transfer-Encoding");
            }

            // Only a single "chunked" is understood; anything else leaves the body's end unknown.
            return _onlyChunked && _transferEncodings == 1
                ? new RequestFraming(BodyEncoding.Chunked, 0, expectContinue, keepAlive)
                : throw new HttpProtocolException(501, "unsupported Transfer-Encoding");
        }

        return _hasContentLength && _contentLength > 0
            ? new RequestFraming(BodyEncoding.ContentLength, _contentLength, expectContinue, keepAlive)
            : new RequestFraming(BodyEncoding.None, 0, false, keepAlive);
    }

    private static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            throw new HttpProtocolException(400, "malformed Content-Length");
        }

        // Eighteen digits cannot overflow a long; anything longer is far beyond any body limit anyway.
        if (value.Length > 18)
        {
            return long.MaxValue;
        }

        long length = 0;
        foreach (byte digit in value)
        {
            length = (length * 10) + (digit - '0');
        }

        return length;
    }
}
