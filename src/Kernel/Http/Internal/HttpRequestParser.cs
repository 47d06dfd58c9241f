using System.Text;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>
/// Parses a request head (request line and header fields, RFC 9112 §2–5) straight from the connection's buffer.
/// Anything the server will not serve is an <see cref="HttpProtocolException"/> carrying the status to answer.
/// </summary>
internal static class HttpRequestParser
{
    /// <summary>Parses one head if <paramref name="data"/> holds all of it.</summary>
    /// <param name="data">The unconsumed bytes of the connection.</param>
    /// <param name="maxHeaderBytes">The most the head may take, blank line included.</param>
    /// <param name="endpoints">The connection's addresses, copied into the request.</param>
    /// <param name="consumed">How many bytes the head took.</param>
    /// <param name="request">The request, its body still empty.</param>
    /// <param name="framing">What the head says about the body and the connection.</param>
    /// <returns>False when the head is not complete yet.</returns>
    /// <exception cref="HttpProtocolException">The head is malformed, too large or unsupported.</exception>
    public static bool TryParse(
        ReadOnlySpan<byte> data, int maxHeaderBytes, ConnectionEndpoints endpoints,
        out int consumed, out HttpRequest? request, out RequestFraming framing)
    {
        consumed = 0;
        request = null;
        framing = default;

        // RFC 9112 §2.2: a server should ignore blank lines received before the request line.
        int start = 0;
        while (data.Length - start >= 2 && data[start] == '\r' && data[start + 1] == '\n')
        {
            start += 2;
        }

        int end = data[start..].IndexOf("\r\n\r\n"u8);

        // Lines end with CRLF. A bare LF would never make the blank line the head waits for: refused at once.
        if (HasBareLineFeed(end < 0 ? data : data[..(start + end + 4)]))
        {
            throw new HttpProtocolException(400, "line ending without CR");
        }

        if (end < 0)
        {
            return data.Length >= maxHeaderBytes
                ? throw new HttpProtocolException(431, "request header fields too large")
                : false;
        }

        if (end + 4 > maxHeaderBytes)
        {
            throw new HttpProtocolException(431, "request header fields too large");
        }

        // The head without its blank line: the request line, then one CRLF-terminated line per field.
        var head = data.Slice(start, end + 2);
        int lineEnd = head.IndexOf("\r\n"u8);
        ParseRequestLine(head[..lineEnd], out string method, out string target, out string protocol);

        var headers = new List<KeyValuePair<string, string>>(8);
        var fields = new RequestFieldSummary();
        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            int fieldEnd = rest.IndexOf("\r\n"u8);
            ParseField(rest[..fieldEnd], headers, ref fields);
            rest = rest[(fieldEnd + 2)..];
        }

        framing = fields.ToFraming(protocol);
        if (AbsoluteForm.TrySplit(target, out string? authority, out string? originForm))
        {
            // RFC 9112 §3.2.2: the host in an absolute-form target overrides the Host field.
            target = originForm;
            SetHost(headers, authority);
        }

        int query = target.IndexOf('?');
        request = new HttpRequest
        {
            Method = method,
            RawTarget = target,
            RawPath = query < 0 ? target : target[..query],
            QueryString = query < 0 ? string.Empty : target[(query + 1)..],
            Protocol = protocol,
            Headers = headers,
            RemoteAddress = endpoints.RemoteAddress,
            RemotePort = endpoints.RemotePort,
            ServerAddress = endpoints.ServerAddress,
            ServerPort = endpoints.ServerPort,
            HeadLength = end + 4,
        };
        consumed = start + end + 4;
        return true;
    }

    private static bool HasBareLineFeed(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        int found;
        while ((found = data[offset..].IndexOf((byte)'\n')) >= 0)
        {
            int at = offset + found;
            if (at == 0 || data[at - 1] != '\r')
            {
                return true;
            }

            offset = at + 1;
        }

        return false;
    }

    private static void SetHost(List<KeyValuePair<string, string>> headers, string authority)
    {
        for (int i = 0; i < headers.Count; i++)
        {
            if (headers[i].Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                headers[i] = new(headers[i].Key, authority);
                return;
            }
        }

        headers.Add(new("Host", authority));
    }

    private static void ParseRequestLine(ReadOnlySpan<byte> line, out string method, out string target, out string protocol)
    {
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace)
        {
            throw new HttpProtocolException(400, "malformed request line");
        }

        var methodBytes = line[..firstSpace];
        var targetBytes = line[(firstSpace + 1)..lastSpace];
        var versionBytes = line[(lastSpace + 1)..];
        if (methodBytes.ContainsAnyExcept(HttpTokens.TokenBytes)
            || targetBytes.IsEmpty
            || targetBytes.ContainsAnyInRange((byte)0, (byte)' ')
            || targetBytes.Contains((byte)0x7F))
        {
            throw new HttpProtocolException(400, "malformed request line");
        }

        method = HttpTokens.Method(methodBytes);
        target = Encoding.Latin1.GetString(targetBytes);
        protocol = ParseVersion(versionBytes);
    }

    private static string ParseVersion(ReadOnlySpan<byte> version)
    {
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            return HttpTokens.Http11;
        }

        if (version.SequenceEqual("HTTP/1.0"u8))
        {
            return HttpTokens.Http10;
        }

        bool wellFormed = version.Length == 8 && version.StartsWith("HTTP/"u8)
            && char.IsAsciiDigit((char)version[5]) && version[6] == '.' && char.IsAsciiDigit((char)version[7]);
        throw wellFormed
            ? new HttpProtocolException(505, "HTTP version not supported")
            : new HttpProtocolException(400, "malformed HTTP version");
    }

    private static void ParseField(ReadOnlySpan<byte> line, List<KeyValuePair<string, string>> headers, ref RequestFieldSummary fields)
    {
        int colon = line.IndexOf((byte)':');

        // A leading space (obs-fold) or a space before the colon makes the name fail the token check.
        if (colon <= 0 || line[..colon].ContainsAnyExcept(HttpTokens.TokenBytes))
        {
            throw new HttpProtocolException(400, "malformed header field");
        }

        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.ContainsAny(HttpTokens.InvalidValueBytes))
        {
            throw new HttpProtocolException(400, "control character in header field value");
        }

        fields.Observe(name, value);
        headers.Add(new KeyValuePair<string, string>(HttpTokens.HeaderName(name), Encoding.Latin1.GetString(value)));
    }
}
