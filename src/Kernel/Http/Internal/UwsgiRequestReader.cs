using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>
/// Reads the head of a request in uWSGI's binary protocol, as nginx's <c>uwsgi_pass</c> sends it: a 4-byte header
/// (<c>modifier1</c>, the size of the variables as u16 little-endian, <c>modifier2</c>), then the CGI variables, each
/// key and value a u16le length and its bytes; the body follows, <c>CONTENT_LENGTH</c> bytes of it. The result is the
/// same <see cref="HttpRequest"/> the HTTP parser makes: the method, target and protocol from <c>REQUEST_METHOD</c>,
/// <c>REQUEST_URI</c> (else <c>PATH_INFO</c> and <c>QUERY_STRING</c>) and <c>SERVER_PROTOCOL</c>, the header fields
/// from <c>HTTP_*</c>, <c>CONTENT_TYPE</c> and <c>CONTENT_LENGTH</c>, the addresses from <c>REMOTE_*</c> and
/// <c>SERVER_*</c>, the scheme from <c>HTTPS</c> or <c>REQUEST_SCHEME</c>. Other variables are not passed on.
/// </summary>
/// <remarks>
/// The modifiers are not checked: a vassal serves one application, whatever <c>uwsgi_modifier1</c> nginx sends
/// (0 by default, 5 for PSGI in uWSGI's documentation). One request per connection: nginx closes after it.
/// </remarks>
internal static class UwsgiRequestReader
{
    private const int HeaderLength = 4;

    /// <summary>Reads one request head if <paramref name="data"/> holds all of it.</summary>
    /// <param name="data">The unconsumed bytes of the connection.</param>
    /// <param name="maxHeaderBytes">The most the packet (header and variables) may take: <c>buffer-size</c>.</param>
    /// <param name="endpoints">The connection's addresses, used where a variable is missing.</param>
    /// <param name="consumed">How many bytes the packet took.</param>
    /// <param name="request">The request, its body still empty.</param>
    /// <param name="framing">The body's length; never keep-alive.</param>
    /// <returns>False when the packet is not complete yet.</returns>
    /// <exception cref="HttpProtocolException">The packet is malformed or too large.</exception>
    public static bool TryParse(
        ReadOnlySpan<byte> data, int maxHeaderBytes, ConnectionEndpoints endpoints,
        out int consumed, out HttpRequest? request, out RequestFraming framing)
    {
        consumed = 0;
        request = null;
        framing = default;
        if (data.Length < HeaderLength)
        {
            return false;
        }

        int size = BinaryPrimitives.ReadUInt16LittleEndian(data[1..]);
        if (HeaderLength + size > maxHeaderBytes)
        {
            throw new HttpProtocolException(431, $"uwsgi packet of {HeaderLength + size} bytes is larger than buffer-size ({maxHeaderBytes})");
        }

        if (data.Length < HeaderLength + size)
        {
            return false;
        }

        var variables = new Variables();
        var headers = new List<KeyValuePair<string, string>>(8);
        var packet = data.Slice(HeaderLength, size);
        int offset = 0;
        while (offset < packet.Length)
        {
            var key = ReadString(packet, ref offset);
            var value = ReadString(packet, ref offset);
            if (key.IsEmpty)
            {
                throw new HttpProtocolException(400, "malformed uwsgi packet (empty variable name)");
            }

            if (!variables.Observe(key, value))
            {
                AddHeader(key, value, headers);
            }
        }

        request = variables.ToRequest(headers, endpoints, out long contentLength);
        framing = contentLength > 0
            ? new RequestFraming(BodyEncoding.ContentLength, contentLength, ExpectContinue: false, KeepAlive: false)
            : new RequestFraming(BodyEncoding.None, 0, ExpectContinue: false, KeepAlive: false);
        consumed = HeaderLength + size;
        return true;
    }

    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> packet, scoped ref int offset)
    {
        var rest = packet[offset..];
        if (rest.Length < 2 || rest.Length - 2 < BinaryPrimitives.ReadUInt16LittleEndian(rest))
        {
            throw new HttpProtocolException(400, "malformed uwsgi packet (a variable runs past its end)");
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
        offset += 2 + length;
        return packet.Slice(offset - length, length);
    }

    /// <summary><c>HTTP_ACCEPT_LANGUAGE</c> becomes the field <c>Accept-Language</c>; other variables are dropped.</summary>
    private static void AddHeader(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, List<KeyValuePair<string, string>> headers)
    {
        // CONTENT_* carry the body's framing and type; nginx sends no HTTP_CONTENT_*, and any that came would contradict them.
        if (!key.StartsWith("HTTP_"u8) || key.Length == 5 || key.SequenceEqual("HTTP_CONTENT_LENGTH"u8) || key.SequenceEqual("HTTP_CONTENT_TYPE"u8))
        {
            return;
        }

        var nameBytes = key[5..];
        Span<byte> name = nameBytes.Length <= 256 ? stackalloc byte[nameBytes.Length] : new byte[nameBytes.Length];
        bool wordStart = true;
        for (int i = 0; i < nameBytes.Length; i++)
        {
            byte b = nameBytes[i];
            name[i] = b == '_' ? (byte)'-' : wordStart ? (byte)char.ToUpperInvariant((char)b) : (byte)char.ToLowerInvariant((char)b);
            wordStart = b == '_';
        }

        headers.Add(new(HttpTokens.HeaderName(name), Encoding.Latin1.GetString(value)));
    }

    /// <summary>The variables that make the request line, the framing and the addresses.</summary>
    private ref struct Variables
    {
        private ReadOnlySpan<byte> _method;
        private ReadOnlySpan<byte> _uri;
        private ReadOnlySpan<byte> _pathInfo;
        private ReadOnlySpan<byte> _query;
        private ReadOnlySpan<byte> _protocol;
        private ReadOnlySpan<byte> _serverName;
        private ReadOnlySpan<byte> _serverPort;
        private ReadOnlySpan<byte> _remoteAddress;
        private ReadOnlySpan<byte> _remotePort;
        private ReadOnlySpan<byte> _contentLength;
        private ReadOnlySpan<byte> _contentType;
        private bool _hasQuery;
        private bool _https;

        /// <returns>False when the variable is none of these (it may be a header field).</returns>
        public bool Observe(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            switch (key)
            {
                case var k when k.SequenceEqual("REQUEST_METHOD"u8): _method = value; return true;
                case var k when k.SequenceEqual("REQUEST_URI"u8): _uri = value; return true;
                case var k when k.SequenceEqual("PATH_INFO"u8): _pathInfo = value; return true;
                case var k when k.SequenceEqual("QUERY_STRING"u8): _query = value; _hasQuery = true; return true;
                case var k when k.SequenceEqual("SERVER_PROTOCOL"u8): _protocol = value; return true;
                case var k when k.SequenceEqual("SERVER_NAME"u8): _serverName = value; return true;
                case var k when k.SequenceEqual("SERVER_PORT"u8): _serverPort = value; return true;
                case var k when k.SequenceEqual("REMOTE_ADDR"u8): _remoteAddress = value; return true;
                case var k when k.SequenceEqual("REMOTE_PORT"u8): _remotePort = value; return true;
                case var k when k.SequenceEqual("CONTENT_LENGTH"u8): _contentLength = value; return true;
                case var k when k.SequenceEqual("CONTENT_TYPE"u8): _contentType = value; return true;
                case var k when k.SequenceEqual("HTTPS"u8):
                    _https |= Ascii.EqualsIgnoreCase(value, "on"u8) || value.SequenceEqual("1"u8);
                    return true;
                case var k when k.SequenceEqual("REQUEST_SCHEME"u8) || k.SequenceEqual("UWSGI_SCHEME"u8):
                    _https |= Ascii.EqualsIgnoreCase(value, "https"u8);
                    return true;
                default:
                    return false;
            }
        }

        public readonly HttpRequest ToRequest(List<KeyValuePair<string, string>> headers, ConnectionEndpoints endpoints, out long contentLength)
        {
            if (_method.IsEmpty || _method.ContainsAnyExcept(HttpTokens.TokenBytes))
            {
                throw new HttpProtocolException(400, "uwsgi packet without a valid REQUEST_METHOD");
            }

            contentLength = ParseNumber(_contentLength, "CONTENT_LENGTH");
            if (contentLength > 0)
            {
                headers.Add(new("Content-Length", Encoding.Latin1.GetString(_contentLength)));
            }

            if (!_contentType.IsEmpty)
            {
                headers.Add(new("Content-Type", Encoding.Latin1.GetString(_contentType)));
            }

            string target = Target();
            if (AbsoluteForm.TrySplit(target, out _, out string? originForm))
            {
                target = originForm;
            }

            int queryStart = target.IndexOf('?');
            return new HttpRequest
            {
                Method = HttpTokens.Method(_method),
                RawTarget = target,
                RawPath = queryStart < 0 ? target : target[..queryStart],
                QueryString = _hasQuery ? Encoding.Latin1.GetString(_query) : queryStart < 0 ? string.Empty : target[(queryStart + 1)..],
                Protocol = Protocol(),
                Headers = headers,
                RemoteAddress = _remoteAddress.IsEmpty ? endpoints.RemoteAddress : Encoding.Latin1.GetString(_remoteAddress),
                RemotePort = _remotePort.IsEmpty ? endpoints.RemotePort : (int)Math.Min(ParseNumber(_remotePort, "REMOTE_PORT"), 65535),
                ServerAddress = _serverName.IsEmpty ? HostName(headers) ?? endpoints.ServerAddress : Encoding.Latin1.GetString(_serverName),
                ServerPort = _serverPort.IsEmpty ? endpoints.ServerPort : (int)Math.Min(ParseNumber(_serverPort, "SERVER_PORT"), 65535),
                Scheme = _https ? "https" : "http",
                ViaUwsgi = true,
            };
        }

        // nginx sends an empty SERVER_NAME when its server block has no server_name; the client's Host names the
        // server it asked for (as an HTTP socket's answer would), where the socket's own address says nothing.
        private static string? HostName(List<KeyValuePair<string, string>> headers)
        {
            foreach (var (name, value) in headers)
            {
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                {
                    int colon = value.LastIndexOf(':');
                    string host = colon > value.LastIndexOf(']') ? value[..colon] : value;
                    return host.Length == 0 ? null : host;
                }
            }

            return null;
        }

        /// <summary>REQUEST_URI as the client sent it; without it, PATH_INFO (decoded by nginx) encoded again, and the query.</summary>
        private readonly string Target()
        {
            if (!_uri.IsEmpty)
            {
                return Encoding.Latin1.GetString(_uri);
            }

            var target = new StringBuilder(_pathInfo.Length + _query.Length + 2);
            if (_pathInfo.IsEmpty || _pathInfo[0] != '/')
            {
                target.Append('/');
            }

            foreach (byte b in _pathInfo)
            {
                if (b <= ' ' || b >= 0x7F || b is (byte)'%' or (byte)'?' or (byte)'#')
                {
                    target.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    target.Append((char)b);
                }
            }

            if (!_query.IsEmpty)
            {
                target.Append('?').Append(Encoding.Latin1.GetString(_query));
            }

            return target.ToString();
        }

        private readonly string Protocol()
            => _protocol.SequenceEqual("HTTP/1.0"u8) ? HttpTokens.Http10
                : _protocol.IsEmpty || _protocol.SequenceEqual("HTTP/1.1"u8) ? HttpTokens.Http11
                : Encoding.Latin1.GetString(_protocol);

        private static long ParseNumber(ReadOnlySpan<byte> digits, string name)
        {
            if (digits.IsEmpty)
            {
                return 0;
            }

            return digits.Length <= 18 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                ? long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture)
                : throw new HttpProtocolException(400, $"malformed {name} in uwsgi packet");
        }
    }
}
