using System.Globalization;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>The status line and header section, and the framing decisions they carry.</summary>
internal sealed partial class HttpResponse
{
    public void Start(int status, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        if (_started)
        {
            throw new InvalidOperationException("Start called twice");
        }

        // A 1xx is interim (RFC 9110 §15.2): sent as the final answer, the client would read the next response as
        // this one's. 100 Continue is the server's business; upgrades (101) are not supported.
        if (status < 200 || status > 999)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "a final response status must be from 200 to 999");
        }

        // A rejected header must leave nothing behind, so the caller can still answer 500.
        int mark = _buffered;
        int headerCount = 0;
        long declaredLength = -1;
        bool handlerFramed = false;
        bool keepAlive = _keepAlive;
        try
        {
            AppendStatusLine(status);
            foreach (var (name, value) in headers)
            {
                ValidateField(name, value);
                if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    // The server owns persistence; a handler can only ask for the connection to end.
                    keepAlive &= !value.Contains("close", StringComparison.OrdinalIgnoreCase);
                    continue;
                }

                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    declaredLength = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long length)
                        ? length
                        : throw new ArgumentException($"Content-Length '{value}' is not a number", nameof(headers));
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    // The server owns the framing: "chunked" only says that no length is known, which the server
                    // frames itself below (chunks for HTTP/1.1, a close for HTTP/1.0, where chunked does not exist).
                    // Another coding is the handler's own encoding, sent as is on a closed connection.
                    if (value.Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    handlerFramed = true;
                }

                AppendLatin1(name);
                Append(": "u8);
                AppendLatin1(value);
                Append("\r\n"u8);
                headerCount++;
            }
        }
        catch
        {
            _buffered = mark;
            throw;
        }

        bool bodyAllowed = status >= 200 && status != 204 && status != 304;
        if (bodyAllowed && declaredLength < 0)
        {
            if (!handlerFramed && !_request!.IsHttp10 && !_request.ViaUwsgi)
            {
                Append("Transfer-Encoding: chunked\r\n"u8);
                headerCount++;
                _chunked = true;
            }
            else
            {
                // Close-delimited: an HTTP/1.0 client knows no chunking, and a body the handler encodes itself
                // has an end only the handler knows.
                keepAlive = false;
            }
        }

        if (!keepAlive && !_request!.ViaUwsgi)
        {
            Append("Connection: close\r\n"u8);
            headerCount++;
        }
        else if (_request!.IsHttp10)
        {
            Append("Connection: keep-alive\r\n"u8);
            headerCount++;
        }

        Append("\r\n"u8);
        Status = status;
        HeadBytes = _buffered - mark;
        HeaderCount = headerCount;
        _keepAlive = keepAlive;
        _declaredLength = bodyAllowed ? declaredLength : -1;
        _sendBody = bodyAllowed && !_request!.IsHead;
        _started = true;
    }

    private static void ValidateField(string name, string value)
    {
        // Response splitting: a CR or LF from request data would let a client inject headers or a response, and
        // other control bytes (NUL, VT...) are read as line ends or terminators by some clients and proxies.
        if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(HttpTokens.TokenChars))
        {
            throw new ArgumentException($"response header name '{Printable(name)}' is not a token (RFC 9110 §5.1)");
        }

        if (value.AsSpan().ContainsAny(HttpTokens.InvalidValueChars))
        {
            throw new ArgumentException($"response header '{name}' has a control character in its value '{Printable(value)}'");
        }
    }

    private static string Printable(string text)
    {
        var printable = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            printable.Append(c < ' ' || c == '\x7f' ? $"\\x{(int)c:x2}" : c);
        }

        return printable.ToString();
    }

    private void AppendStatusLine(int status)
    {
        Append("HTTP/1.1 "u8);
        EnsureCapacity(4);
        status.TryFormat(_buffer.AsSpan(_buffered), out int written, default, CultureInfo.InvariantCulture);
        _buffered += written;
        Append(" "u8);
        AppendLatin1(HttpStatusText.ReasonPhrase(status));
        Append("\r\n"u8);
    }
}
