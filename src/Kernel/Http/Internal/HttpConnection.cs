using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>
/// One accepted client connection: a non-blocking fd in the worker's event loop. Bytes are gathered until a
/// whole request (head and body) is there; then the handler runs to completion before anything else happens.
/// </summary>
internal sealed partial class HttpConnection
{
    // Bytes an error reply's connection may still swallow before it is cut off instead.
    private const int MaxDrainBytes = 1024 * 1024;

    private readonly HttpServerLoop _server;
    private readonly ConnectionEndpoints _endpoints;
    private readonly HttpResponse _response;
    private readonly RequestBodyBuffer _body;
    private readonly byte[] _input;
    private int _inputStart;
    private int _inputEnd;
    private bool _socketMayHaveMore;
    private int _drained;

    public HttpConnection(HttpServerLoop server, int fd, ConnectionEndpoints endpoints)
    {
        _server = server;
        Fd = fd;
        _endpoints = endpoints;
        _response = new HttpResponse(fd, server.Limits, server.Logger);
        _body = new RequestBodyBuffer(server.BodyMemory, server.Limits.PostBufferingBytes);

        // Room for a whole head of the largest allowed size plus whatever was pipelined behind it.
        _input = new byte[Math.Max(server.Limits.MaxHeaderBytes + 4096, 16 * 1024)];
        LastActivity = Environment.TickCount64;
    }

    public int Fd { get; }

    public ConnectionState State { get; private set; } = ConnectionState.ReadingHead;

    /// <summary>When bytes last arrived or a response last ended (<see cref="Environment.TickCount64"/>).</summary>
    public long LastActivity { get; private set; }

    /// <summary>Between requests with nothing of the next one received: can be closed without losing work.</summary>
    public bool IsIdle => State == ConnectionState.ReadingHead && _inputStart == _inputEnd;

    /// <summary>
    /// At least one response went out. A connection accepted a moment ago has not sent its first request yet;
    /// closing it on a graceful stop would reset a client that did nothing wrong.
    /// </summary>
    public bool HasServedRequest { get; private set; }

    /// <summary>The event-loop callback.</summary>
    public void OnReady(int events)
    {
        _socketMayHaveMore = true;
        try
        {
            if (State == ConnectionState.Draining)
            {
                Drain();
            }
            else
            {
                Process();
            }
        }
        catch (Exception e)
        {
            // A bug in request processing must cost this connection only, never the worker.
            HttpServerLoop.Log.ConnectionFailed(_server.Logger, e, Fd, _endpoints.RemoteAddress);
            Close();
        }
    }

    /// <summary>Unregisters and closes the fd; idempotent.</summary>
    public void Close()
    {
        if (State == ConnectionState.Closed)
        {
            return;
        }

        State = ConnectionState.Closed;
        _body.Release();
        _server.Loop.Remove(Fd);
        Descriptors.Close(Fd);
        _server.Forget(this);
    }

    /// <summary>Answers a request the server refuses and closes the connection gracefully.</summary>
    private void Refuse(HttpProtocolException error)
    {
        HttpServerLoop.Log.RequestRefused(_server.Logger, error.Status, error.Message, _endpoints.RemoteAddress);
        _response.Begin(_pending ?? PlaceholderRequest(), keepAlive: false);
        _response.SendError(error.Status, HttpStatusText.ReasonPhrase(error.Status) + ": " + error.Message, closeConnection: true);
        if (_response.ClientDisconnected)
        {
            Close();
            return;
        }

        // Closing with unread input makes the kernel send a reset, which can destroy the reply before the
        // client reads it; so stop sending, and read until the client closes (or too much arrives).
        _pending = null;
        _body.Release();
        _inputStart = _inputEnd = 0;
        State = ConnectionState.Draining;
        LastActivity = Environment.TickCount64;
        if (!SocketIo.TryShutdownWrite(Fd, out _))
        {
            Close();
        }
    }

    /// <summary>The body could not be stored (no space left for its spool file...): the server's fault, not the client's.</summary>
    private void RefuseUnstoredBody(PosixException error)
    {
        HttpServerLoop.Log.BodyNotStored(_server.Logger, error, _pending?.Method ?? "-", _pending?.RawTarget ?? "-");
        Refuse(new HttpProtocolException(500, "the request body could not be stored"));
    }

    private void Drain()
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (true)
        {
            var outcome = SocketIo.Receive(Fd, scratch, out int n, out _);
            if (outcome == IoOutcome.WouldBlock)
            {
                return;
            }

            _drained += n;
            if (outcome != IoOutcome.Transferred || _drained > MaxDrainBytes)
            {
                Close();
                return;
            }
        }
    }

    private HttpRequest PlaceholderRequest() => new()
    {
        Method = "GET",
        RawTarget = "*",
        RawPath = "*",
        QueryString = string.Empty,
        Protocol = HttpTokens.Http11,
        Headers = [],
        RemoteAddress = _endpoints.RemoteAddress,
        RemotePort = _endpoints.RemotePort,
        ServerAddress = _endpoints.ServerAddress,
        ServerPort = _endpoints.ServerPort,
        ViaUwsgi = _server.Protocol == ListenerProtocol.Uwsgi,
    };
}
