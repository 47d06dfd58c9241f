using ForkServer.Abstractions;
using ForkServer.Kernel.Http.Internal;
using ForkServer.Kernel.Http.RequestLog;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Http;

/// <summary>
/// The front of one worker process: accepts on the shared listening socket and serves its connections, in HTTP/1.1
/// or in uWSGI's protocol as the socket's <see cref="ListenerProtocol"/> says (only the reading of a request head
/// differs: <see cref="HttpRequestParser"/> or <see cref="UwsgiRequestReader"/>), from the worker's
/// <see cref="EventLoop"/>, one request at a time, on the calling thread only (no thread pool, no socket engine: the
/// worker is a forked process).
/// </summary>
/// <remarks>
/// Sharing between workers: a worker takes a connection only when it can serve it at once, so that no connection
/// waits behind a busy worker while another worker is idle (as a uWSGI worker accepts one connection and serves
/// it). It accepts one connection per wakeup and serves the request the connection brought before it returns to
/// the loop; while it serves it is not in <c>epoll_wait</c>, so the listener's next wakeup (EPOLLEXCLUSIVE) goes
/// to a worker that is. The kernel holds back a connection until its first bytes arrive (TCP_DEFER_ACCEPT), so a
/// worker never takes a connection whose request is still to come. A keep-alive connection stays with the worker
/// that accepted it: its next request waits for the one request that worker may be serving (never for a queue of
/// them), where uWSGI's and Starman's keep-alive pin a worker to the connection for its whole life.
/// </remarks>
internal sealed partial class HttpServerLoop
{
    // How long the kernel keeps a connection that has sent nothing away from the workers; after it, the
    // connection is accepted and waits in the loop like any silent connection.
    private const int DeferAcceptSeconds = 1;

    // How long a stopping worker waits for the first request of a connection it accepted just before the stop.
    private const long FirstRequestGraceMs = 2000;

    private readonly ListeningSocket _listener;
    private readonly Dictionary<int, HttpConnection> _connections = new();
    private readonly List<HttpConnection> _sweep = new();
    private bool _listening;
    private bool _acceptPaused;

    public HttpServerLoop(EventLoop loop, ListeningSocket listener, IRequestHandler handler, HttpLimits limits, ILogger logger)
    {
        Loop = loop;
        _listener = listener;
        Handler = handler;
        Limits = limits;
        Logger = logger;
        BodyMemory = new RequestBodyMemory(limits.MaxBufferedBodyBytes, Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp");
    }

    /// <summary>Invoked after each request the handler answered (the worker reports itself loyal after the first).</summary>
    public Action? RequestCompleted { get; set; }

    /// <summary>Invoked when the handler is about to be given a request (the worker notes what it is doing).</summary>
    public Action<IRequest>? RequestStarting { get; set; }

    /// <summary>
    /// How many more requests this loop serves (<c>max-requests</c>); unlimited by default. The response to the last
    /// one ends its connection, and once it is complete the loop stops accepting as on <see cref="StopAccepting"/>.
    /// </summary>
    public long RequestsLeft { get; set; } = long.MaxValue;

    /// <summary>Writes a line for every request the handler answered; null logs none (<c>disable-logging</c>).</summary>
    public RequestLogWriter? RequestLog { get; set; }

    /// <summary>No connection is open.</summary>
    public bool IsIdle => _connections.Count == 0;

    internal EventLoop Loop { get; }

    internal IRequestHandler Handler { get; }

    internal HttpLimits Limits { get; }

    internal ILogger Logger { get; }

    /// <summary>What the listening socket's clients speak.</summary>
    internal ListenerProtocol Protocol => _listener.Protocol;

    /// <summary>What the request bodies of this worker's connections may hold in memory together.</summary>
    internal RequestBodyMemory BodyMemory { get; }

    /// <summary>Set by <see cref="StopAccepting"/>: responses end their connections.</summary>
    internal bool IsStopping { get; private set; }

    /// <summary>Starts accepting. Several workers share the listener; EPOLLEXCLUSIVE wakes only one per connection.</summary>
    public void Start()
    {
        if (IsStopping)
        {
            throw new InvalidOperationException("the server was stopped");
        }

        // A Unix-domain socket has no such option (its peers are local and send at once).
        int errno = _listener.UnixPath is null ? SocketOptions.TrySetDeferAccept(_listener.Fd, DeferAcceptSeconds) : 0;
        if (errno != 0)
        {
            Log.DeferAcceptUnavailable(Logger, _listener.Endpoint, errno, Errno.Describe(errno));
        }

        Listen();
    }

    /// <summary>
    /// Graceful stop: no new connections; idle keep-alive ones close now, the others after their current
    /// response. A connection that has not sent its first request yet gets <see cref="FirstRequestGraceMs"/> to
    /// send it. Wait for <see cref="IsIdle"/>.
    /// </summary>
    public void StopAccepting()
    {
        IsStopping = true;
        Unlisten();
        Sweep(static connection => (connection.IsIdle && connection.HasServedRequest) || connection.State == ConnectionState.Draining);
    }

    /// <summary>Closes connections silent for longer than the keep-alive timeout; call about once a second.</summary>
    public void ExpireIdleConnections()
    {
        long now = Environment.TickCount64;
        long keepAliveMs = Limits.KeepAliveTimeoutSeconds * 1000L;

        // An error reply's lingering close only needs long enough for the client to read the reply.
        long drainMs = Math.Min(keepAliveMs, 2000);
        Sweep(connection => now - connection.LastActivity > (connection.State == ConnectionState.Draining ? drainMs : keepAliveMs)
            || (IsStopping && connection.IsIdle && now - connection.LastActivity > FirstRequestGraceMs));

        if (_acceptPaused && !IsStopping)
        {
            _acceptPaused = false;
            Listen();
        }
    }

    /// <summary>Brutal stop: stops accepting and closes every connection at once.</summary>
    public void CloseAll()
    {
        IsStopping = true;
        Unlisten();
        Sweep(static _ => true);
    }

    /// <summary>
    /// In the child of a fork made by application code: closes that process's copies of the listening socket and of
    /// every connection, and nothing else (the worker keeps its own). Allocation-free, for a fork handler.
    /// </summary>
    internal void CloseDescriptorsInForkedChild()
    {
        Descriptors.Close(_listener.Fd);
        foreach (int fd in _connections.Keys)
        {
            Descriptors.Close(fd);
        }
    }

    internal void Forget(HttpConnection connection) => _connections.Remove(connection.Fd);

    /// <summary>A request goes to the handler: false if it is the last one this loop serves (its connection ends).</summary>
    internal bool BeginRequest(IRequest request)
    {
        RequestStarting?.Invoke(request);
        return --RequestsLeft > 0;
    }

    internal void NotifyRequestCompleted()
    {
        RequestCompleted?.Invoke();
        if (RequestsLeft <= 0 && !IsStopping)
        {
            StopAccepting();
        }
    }

    private void Listen()
    {
        if (!_listening)
        {
            Loop.Add(_listener.Fd, EventLoop.Readable | EventLoop.Exclusive, OnListenerReady);
            _listening = true;
        }
    }

    private void Unlisten()
    {
        if (_listening)
        {
            Loop.Remove(_listener.Fd);
            _listening = false;
        }
    }

    private void Sweep(Func<HttpConnection, bool> shouldClose)
    {
        _sweep.Clear();
        foreach (var connection in _connections.Values)
        {
            if (shouldClose(connection))
            {
                _sweep.Add(connection);
            }
        }

        foreach (var connection in _sweep)
        {
            connection.Close();
        }

        _sweep.Clear();
    }

    /// <summary>Takes one connection and serves the request it brought before anything else (see the remarks).</summary>
    private void OnListenerReady(int events)
    {
        switch (SocketAccept.Next(_listener.Fd, out int fd, out SocketEndpoint peer, out int errno))
        {
            case AcceptOutcome.Empty:
                return;
            case AcceptOutcome.Failed:
                // Rest until the next sweep rather than spin on a listener that stays readable.
                Log.AcceptFailed(Logger, _listener.Endpoint, errno, Errno.Describe(errno));
                Unlisten();
                _acceptPaused = true;
                return;
            default:
                Adopt(fd, peer)?.OnReady(EventLoop.Readable);
                return;
        }
    }

    private HttpConnection? Adopt(int fd, SocketEndpoint peer)
    {
        try
        {
            // Responses leave in one send and must not wait for a delayed ACK (Nagle).
            SocketOptions.SetNoDelay(fd);

            // A Unix-domain peer has no address: empty, as a local client has none to report ("localhost" serves).
            var endpoints = _listener.UnixPath is null
                ? new ConnectionEndpoints(peer.Address.ToString(), peer.Port, _listener.Address, _listener.Port)
                : new ConnectionEndpoints(string.Empty, 0, "localhost", 0);
            var connection = new HttpConnection(this, fd, endpoints);
            _connections.Add(fd, connection);
            Loop.Add(fd, EventLoop.Readable, connection.OnReady);
            return connection;
        }
        catch (PosixException e)
        {
            Log.AdoptFailed(Logger, e, fd);
            _connections.Remove(fd);
            Descriptors.Close(fd);
            return null;
        }
    }
}
