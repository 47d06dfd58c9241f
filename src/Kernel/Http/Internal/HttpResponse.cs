using ForkServer.Abstractions;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>
/// Frames one response at a time on a connection and writes it to the socket. Head and body are gathered in a
/// buffer reused for every request, so a small response leaves in one <c>send</c>; a big one goes out in
/// pieces of about <see cref="FlushThreshold"/> bytes. A response without Content-Length is a stream: every
/// write is sent at once.
/// </summary>
internal sealed partial class HttpResponse(int fd, HttpLimits limits, ILogger logger) : IResponse
{
    private const int FlushThreshold = 64 * 1024;

    private byte[] _buffer = new byte[8192];
    private int _buffered;
    private HttpRequest? _request;
    private bool _keepAlive;
    private bool _started;
    private bool _completed;
    private bool _aborted;
    private bool _sendBody;
    private bool _chunked;
    private long _declaredLength;
    private long _bodyWritten;
    private long _waitedMs;

    public bool ClientDisconnected { get; private set; }

    /// <summary>The status of the response as started (the request log's).</summary>
    public int Status { get; private set; }

    /// <summary>Body bytes the handler wrote and the server kept, before any chunk framing (0 for HEAD).</summary>
    public long BodyBytes => _bodyWritten;

    /// <summary>Bytes of the status line and header section, blank line included.</summary>
    public int HeadBytes { get; private set; }

    /// <summary>Header fields sent, those the server added included.</summary>
    public int HeaderCount { get; private set; }

    /// <summary>Some bytes of this response reached the socket: it can no longer be replaced by an error reply.</summary>
    public bool HasSentBytes { get; private set; }

    public bool IsStarted => _started;

    public bool IsCompleted => _completed;

    /// <summary>The response was ended by <see cref="Abort"/>.</summary>
    public bool IsAborted => _aborted;

    /// <summary>The connection may carry another request once this response is complete.</summary>
    public bool KeepConnectionOpen => _completed && !_aborted && _keepAlive && !ClientDisconnected;

    /// <summary>Prepares for the response to <paramref name="request"/>.</summary>
    /// <param name="request">The request being answered (its method and protocol shape the framing).</param>
    /// <param name="keepAlive">Whether the connection may stay open afterwards, as far as the server is concerned.</param>
    public void Begin(HttpRequest request, bool keepAlive)
    {
        _request = request;
        _keepAlive = keepAlive;
        _buffered = 0;
        _started = _completed = _aborted = _sendBody = _chunked = false;
        _declaredLength = -1;
        _bodyWritten = 0;
        _waitedMs = 0;
        Status = HeadBytes = HeaderCount = 0;
        ClientDisconnected = false;
        HasSentBytes = false;
    }

    public void Write(ReadOnlySpan<byte> chunk)
    {
        ThrowIfNotWritable(nameof(Write));
        if (!_sendBody || ClientDisconnected || chunk.IsEmpty)
        {
            return;
        }

        if (_declaredLength >= 0 && chunk.Length > _declaredLength - _bodyWritten)
        {
            HttpServerLoop.Log.ResponseLongerThanDeclared(logger, _request!.Method, _request.RawTarget, _declaredLength);

            // The surplus would be read as the start of the next response: drop it and end the connection.
            _keepAlive = false;
            chunk = chunk[..(int)(_declaredLength - _bodyWritten)];
            if (chunk.IsEmpty)
            {
                return;
            }
        }

        _bodyWritten += chunk.Length;
        if (_chunked)
        {
            AppendChunkSize(chunk.Length);
            AppendBody(chunk);
            Append("\r\n"u8);
        }
        else
        {
            AppendBody(chunk);
        }

        // Without a declared length the handler is streaming (server-sent events, progress output): each write
        // goes out at once, as Starman and uWSGI do, instead of waiting for the buffer to fill.
        if (_declaredLength < 0)
        {
            Flush();
        }
    }

    public void Complete()
    {
        if (!_started)
        {
            throw new InvalidOperationException("Complete called before Start");
        }

        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_sendBody && _declaredLength > _bodyWritten)
        {
            HttpServerLoop.Log.ResponseShorterThanDeclared(logger, _request!.Method, _request.RawTarget, _declaredLength, _bodyWritten);

            // The client waits for the missing bytes; only a close tells it they will not come.
            _keepAlive = false;
        }

        if (_chunked && _sendBody)
        {
            Append("0\r\n\r\n"u8);
        }

        Flush();
    }

    public void Abort()
    {
        // Unsent bytes are dropped: flushed, they could look like a complete close-delimited response.
        _buffered = 0;
        _completed = true;
        _aborted = true;
    }

    /// <summary>Replaces whatever the handler began (nothing may have been sent) with a short plain-text reply.</summary>
    /// <param name="status">The error status.</param>
    /// <param name="text">The body, for people.</param>
    /// <param name="closeConnection">Send <c>Connection: close</c> and end the connection afterwards.</param>
    public void SendError(int status, string text, bool closeConnection)
    {
        _buffered = 0;
        _started = _completed = _sendBody = _chunked = false;
        _declaredLength = -1;
        _bodyWritten = 0;
        _keepAlive &= !closeConnection;
        Start(status,
        [
            new("Content-Type", "text/plain"),
            new("Content-Length", (text.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        Span<byte> body = stackalloc byte[text.Length + 1];
        System.Text.Encoding.Latin1.GetBytes(text, body);
        body[^1] = (byte)'\n';
        Write(body);
        Complete();
    }

    private void ThrowIfNotWritable(string operation)
    {
        if (!_started)
        {
            throw new InvalidOperationException($"{operation} called before Start");
        }

        if (_completed)
        {
            throw new InvalidOperationException($"{operation} called after the response ended");
        }
    }
}
