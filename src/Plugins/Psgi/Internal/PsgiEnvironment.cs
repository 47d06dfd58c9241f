using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ForkServer.Abstractions;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// The CGI part of a PSGI env (plus <c>psgi.url_scheme</c>), encoded for the glue, which adds the
/// <c>psgi.*</c> objects. Keys and values are bytes. Normally <c>join("\0", k1, v1, ...)</c>, which Perl
/// splits fastest; when a value holds a NUL byte (PATH_INFO from <c>%00</c>) it falls back to
/// <c>pack('(V/a*)*', ...)</c>. One instance per worker: the buffers are reused across requests.
/// </summary>
internal sealed partial class PsgiEnvironment
{
    private readonly List<int> _ends = [];
    private readonly List<KeyValuePair<string, string>> _httpHeaders = [];
    private byte[] _joined = new byte[4096];
    private byte[] _packed = new byte[4096];
    private int _length;
    private bool _hasNul;

    /// <summary>True when <see cref="Encoded"/> is the length-prefixed form.</summary>
    public bool IsPacked => _hasNul;

    /// <summary>The encoded env of the last <see cref="Build"/>.</summary>
    public ReadOnlySpan<byte> Encoded => _hasNul ? Pack() : _joined.AsSpan(0, Math.Max(0, _length - 1));

    public void Build(IRequest request)
    {
        _length = 0;
        _hasNul = false;
        _ends.Clear();

        Add("REQUEST_METHOD", request.Method);
        Add("SCRIPT_NAME", "");
        AddLatin1("PATH_INFO");
        AddPercentDecoded(request.RawPath);
        Add("REQUEST_URI", request.RawTarget);
        Add("QUERY_STRING", request.QueryString);
        Add("SERVER_NAME", request.ServerAddress);
        Add("SERVER_PORT", request.ServerPort.ToString(CultureInfo.InvariantCulture));
        Add("SERVER_PROTOCOL", request.Protocol);
        Add("REMOTE_ADDR", request.RemoteAddress);
        Add("REMOTE_PORT", request.RemotePort.ToString(CultureInfo.InvariantCulture));
        Add("psgi.url_scheme", request.Scheme);
        AddHeaders(request);
    }

    private void AddHeaders(IRequest request)
    {
        string? contentLength = null;
        string? contentType = null;
        _httpHeaders.Clear();
        foreach ((string name, string value) in request.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = value;
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = contentType is null ? value : contentType + ", " + value;
            }
            else if (!name.Contains('_'))
            {
                AppendHttpHeader(EnvKeyOf(name), value);
            }

            // A name with an underscore would share its HTTP_* key with the dashed name (X_Forwarded_For and
            // X-Forwarded-For): a client could pass for the proxy in front. Dropped, as nginx and Starman do.
        }

        // The body arrives whole and de-chunked: tell the app its length even when the client sent chunks.
        if (contentLength is null && request.BodyLength > 0)
        {
            contentLength = request.BodyLength.ToString(CultureInfo.InvariantCulture);
        }

        if (contentLength is not null)
        {
            Add("CONTENT_LENGTH", contentLength);
        }

        if (contentType is not null)
        {
            Add("CONTENT_TYPE", contentType);
        }

        foreach ((string key, string value) in _httpHeaders)
        {
            Add(key, value);
        }
    }

    private void AppendHttpHeader(string key, string value)
    {
        // Repeated fields are joined as CGI does; a request has few headers, so a linear search is cheapest.
        for (int i = 0; i < _httpHeaders.Count; i++)
        {
            if (_httpHeaders[i].Key == key)
            {
                _httpHeaders[i] = new(key, _httpHeaders[i].Value + ", " + value);
                return;
            }
        }

        _httpHeaders.Add(new(key, value));
    }

    private void Add(string key, string value)
    {
        AddLatin1(key);
        AddLatin1(value);
    }

    private void AddLatin1(string text)
    {
        EnsureCapacity(text.Length + 1);
        int count = Encoding.Latin1.GetBytes(text, _joined.AsSpan(_length));
        EndItem(count);
    }

    private void AddPercentDecoded(string rawPath)
    {
        EnsureCapacity(rawPath.Length + 1);
        Span<byte> target = _joined.AsSpan(_length);
        int count = 0;
        for (int i = 0; i < rawPath.Length; i++)
        {
            if (rawPath[i] == '%' && i + 2 < rawPath.Length && IsHex(rawPath[i + 1]) && IsHex(rawPath[i + 2]))
            {
                target[count++] = (byte)((HexValue(rawPath[i + 1]) << 4) | HexValue(rawPath[i + 2]));
                i += 2;
            }
            else
            {
                target[count++] = (byte)rawPath[i];
            }
        }

        EndItem(count);
    }

    private void EndItem(int count)
    {
        if (!_hasNul && _joined.AsSpan(_length, count).Contains((byte)0))
        {
            _hasNul = true;
        }

        _length += count;
        _ends.Add(_length);
        _joined[_length++] = 0;
    }

    private void EnsureCapacity(int more)
    {
        if (_length + more > _joined.Length)
        {
            Array.Resize(ref _joined, Math.Max(_joined.Length * 2, _length + more));
        }
    }

    private ReadOnlySpan<byte> Pack()
    {
        if (_packed.Length < _length + 4 * _ends.Count)
        {
            _packed = new byte[_length + 4 * _ends.Count];
        }

        int start = 0;
        int offset = 0;
        foreach (int end in _ends)
        {
            int itemLength = end - start;
            BinaryPrimitives.WriteInt32LittleEndian(_packed.AsSpan(offset), itemLength);
            _joined.AsSpan(start, itemLength).CopyTo(_packed.AsSpan(offset + 4));
            offset += 4 + itemLength;
            start = end + 1;
        }

        return _packed.AsSpan(0, offset);
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
