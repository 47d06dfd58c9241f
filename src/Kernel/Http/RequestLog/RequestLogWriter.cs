using System.Globalization;
using System.Text;
using ForkServer.Kernel.Http.Internal;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Http.RequestLog;

/// <summary>
/// Writes one line per request a worker served, in one write(2) to standard error (where <c>logto</c> points), as
/// uWSGI's workers do: no logging pipeline, no lock, no thread, a buffer reused for every line. Without a
/// <c>log-format</c> the line is uWSGI's default one:
/// <c>[pid: 1234|app: 0|req: 1/1] 127.0.0.1 () {12 vars in 78 bytes} [Sun Dec  6 03:00:00 2026] GET / => generated 12 bytes in 0 msecs (HTTP/1.1 200) 2 headers in 64 bytes (1 switches on core 0)</c>.
/// </summary>
internal sealed partial class RequestLogWriter(RequestLogSettings settings, int pid, int workerId, int fd = StandardStreams.ErrorFd)
{
    // The CGI variables a request carries besides its headers (REQUEST_METHOD, REQUEST_URI, PATH_INFO,
    // QUERY_STRING, SERVER_PROTOCOL, SCRIPT_NAME, SERVER_NAME, SERVER_PORT, REMOTE_ADDR, REMOTE_PORT).
    private const int CgiVariables = 10;

    private readonly RequestLogClock _ctime = RequestLogClock.Ctime();
    private readonly RequestLogClock _ltime = RequestLogClock.Apache();
    private readonly RequestLogClock? _ftime = settings.DateFormat is { } format ? new RequestLogClock(format) : null;
    private byte[] _line = new byte[1024];
    private int _length;
    private long _requests;

    /// <summary>Requests this worker logged.</summary>
    public long Requests => _requests;

    /// <summary>Logs one served request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="response">Its response, ended.</param>
    /// <param name="startUnixMicros">When the request began being served, in microseconds since the epoch.</param>
    /// <param name="elapsedMicros">How long serving it took.</param>
    public void Write(HttpRequest request, HttpResponse response, long startUnixMicros, long elapsedMicros)
    {
        _requests++;
        _length = 0;
        var facts = new RequestFacts(request, response, startUnixMicros, elapsedMicros, Address(request));
        if (settings.Format is { } format)
        {
            foreach (var segment in format.Segments)
            {
                if (segment.Literal is { } literal)
                {
                    Append(literal);
                }
                else
                {
                    int mark = _length;
                    AppendVariable(segment, in facts);
                    if (_length == mark)
                    {
                        Append("-"u8);
                    }
                }
            }
        }
        else
        {
            AppendDefault(in facts);
        }

        Append("\n"u8);

        // A full disk or a closed stderr must never cost the request or the worker.
        DescriptorIo.TryWriteAll(fd, _line.AsSpan(0, _length), out _);
    }

    private void AppendDefault(in RequestFacts facts)
    {
        Append("[pid: "u8);
        Append(pid);
        Append("|app: 0|req: "u8);
        Append(_requests);
        Append("/"u8);
        Append(_requests);
        Append("] "u8);
        Append(facts.Address);
        Append(" () {"u8);
        Append(CgiVariables + facts.Request.Headers.Count);
        Append(" vars in "u8);
        Append(facts.Request.HeadLength);
        Append(" bytes} ["u8);
        Append(_ctime.Format(facts.StartUnixMicros / 1_000_000));
        Append("] "u8);
        Append(facts.Request.Method);
        Append(" "u8);
        Append(facts.Request.RawTarget);
        Append(" => generated "u8);
        Append(facts.Response.BodyBytes);
        Append(" bytes in "u8);
        Append(facts.ElapsedMicros / 1000);
        Append(" msecs ("u8);
        Append(facts.Request.Protocol);
        Append(" "u8);
        Append(facts.Response.Status);
        Append(") "u8);
        Append(facts.Response.HeaderCount);
        Append(" headers in "u8);
        Append(facts.Response.HeadBytes);
        Append(" bytes (1 switches on core 0)"u8);
    }

    private string Address(HttpRequest request)
        => settings.AddressFromForwardedFor && Header(request, "X-Forwarded-For") is { Length: > 0 } forwarded
            ? forwarded
            : request.RemoteAddress;

    private static string? Header(HttpRequest request, string name)
    {
        foreach (var (key, value) in request.Headers)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_line.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Append(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            // Request text was read as Latin-1: writing it back as Latin-1 gives the client's bytes.
            Ensure(text.Length);
            _length += Encoding.Latin1.GetBytes(text, _line.AsSpan(_length));
        }
    }

    private void Append(long number)
    {
        Ensure(20);
        number.TryFormat(_line.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    private void Ensure(int more)
    {
        if (_length + more > _line.Length)
        {
            Array.Resize(ref _line, Math.Max(_line.Length * 2, _length + more));
        }
    }

    /// <summary>What one line is made of.</summary>
    private readonly record struct RequestFacts(HttpRequest Request, HttpResponse Response, long StartUnixMicros, long ElapsedMicros, string Address);
}
