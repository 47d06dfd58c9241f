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

        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 999);

        // A rejected header must leave nothing behind, so the caller can still answer 500.
        int mark = _buffered;
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
                    handlerFramed = true;
                }

                AppendLatin1(name);
                Append(": "u8);
                AppendLatin1(value);
                Append("\r\n"u8);
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
            if (!handlerFramed && !_request!.IsHttp10)
            {
                Append("Transfer-Encoding: chunked\r\n"u8);
                _chunked = true;
            }
            else
            {
                // Close-delimited: an HTTP/1.0 client knows no chunking, and a body the handler encodes itself
                // has an end only the handler knows.
                keepAlive = false;
            }
        }

        if (!keepAlive)
        {
            Append("Connection: close\r\n"u8);
        }
        else if (_request!.IsHttp10)
        {
            Append("Connection: keep-alive\r\n"u8);
        }

        Append("\r\n"u8);
        _keepAlive = keepAlive;
        _declaredLength = bodyAllowed ? declaredLength : -1;
        _sendBody = bodyAllowed && !_request!.IsHead;
        _started = true;
    }

    private static void ValidateField(string name, string value)
    {
        if (name.Length == 0 || name.AsSpan().IndexOfAny("\r\n:") >= 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            // Response splitting: a CR or LF from request data would let a client inject headers or a response.
            throw new ArgumentException($"response header '{name.ReplaceLineEndings("\\n")}' has an invalid name or value (CR, LF)");
        }
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
