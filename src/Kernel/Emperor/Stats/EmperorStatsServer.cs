using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// The <c>emperor-stats</c> socket (docs/protocol.md#stats-document): every accepted connection gets one JSON document,
/// then the connection closes; with <c>stats-http</c> the client's request is read first and the document goes out as
/// an HTTP/1.0 response. Everything runs on the Emperor's <see cref="EventLoop"/> thread, and no client can block it:
/// reads and writes are non-blocking with per-connection buffers, and stalled clients are dropped.
/// </summary>
internal sealed partial class EmperorStatsServer : IDisposable
{
    // Accepts per wakeup: drains a burst without starving the Emperor's other fds.
    private const int MaxAcceptsPerWakeup = 16;

    private readonly string _requestedAddress;
    private readonly bool _statsHttp;
    private readonly Func<EmperorStatsSnapshot> _snapshot;
    private readonly Dictionary<int, StatsConnection> _connections = new();
    private readonly List<StatsConnection> _expired = new();
    private StatsListener? _listener;
    private SweepTimer? _timer;
    private bool _acceptPaused;

    public EmperorStatsServer(EventLoop loop, string address, bool statsHttp, Func<EmperorStatsSnapshot> snapshot, ILogger logger)
    {
        Loop = loop;
        _requestedAddress = address;
        _statsHttp = statsHttp;
        _snapshot = snapshot;
        Logger = logger;
    }

    /// <summary>The bound TCP endpoint (<c>127.0.0.1:40123</c>) or unix socket path, once started.</summary>
    public string Address => _listener?.Address ?? _requestedAddress;

    /// <summary>The bound TCP port once started (the real one when 0 was asked for); 0 for a unix socket.</summary>
    public int Port => _listener?.Port ?? 0;

    /// <summary>Open client connections.</summary>
    public int ConnectionCount => _connections.Count;

    internal EventLoop Loop { get; }

    internal ILogger Logger { get; }

    /// <summary>Binds the socket and starts accepting on the loop.</summary>
    /// <exception cref="PosixException">The address cannot be bound.</exception>
    /// <exception cref="FormatException">A TCP address is not <c>ip:port</c>.</exception>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException($"the stats server on {Address} is already started");
        }

        _listener = StatsListener.Bind(_requestedAddress);
        try
        {
            _timer = new SweepTimer(Loop, Sweep);
            Loop.Add(_listener.Fd, EventLoop.Readable, OnListenerReady);
        }
        catch
        {
            _timer?.Dispose();
            _listener.Dispose();
            _listener = null;
            throw;
        }

        Log.Listening(Logger, Address, _statsHttp);
    }

    /// <summary>Closes every connection and the socket (removing a unix socket file). Call on the loop thread.</summary>
    public void Dispose()
    {
        foreach (var connection in _connections.Values.ToList())
        {
            connection.Close();
        }

        if (_listener is not null)
        {
            if (!_acceptPaused)
            {
                Loop.Remove(_listener.Fd);
            }

            _listener.Dispose();
        }

        _timer?.Dispose();
    }

    /// <summary>A fresh document, or null (logged) when the snapshot callback fails.</summary>
    internal byte[]? RenderDocument()
    {
        try
        {
            return EmperorStatsWriter.Write(_snapshot());
        }
        catch (Exception e)
        {
            // The Emperor's loop must survive a broken stats callback; the client just gets no document.
            Log.SnapshotFailed(Logger, e);
            return null;
        }
    }

    internal void Forget(StatsConnection connection)
    {
        _connections.Remove(connection.Fd);
        if (_connections.Count == 0 && !_acceptPaused)
        {
            _timer!.Stop();
        }
    }

    private unsafe void OnListenerReady(int events)
    {
        for (int i = 0; i < MaxAcceptsPerWakeup; i++)
        {
            var outcome = SocketAccept.Next(_listener!.Fd, null, out int fd, out int errno);
            if (outcome == AcceptOutcome.Empty)
            {
                return;
            }

            if (outcome == AcceptOutcome.Failed)
            {
                // Rest until the next tick rather than spin on a listener that stays readable.
                Log.AcceptFailed(Logger, Address, errno, Errno.Describe(errno));
                Loop.Remove(_listener.Fd);
                _acceptPaused = true;
                _timer!.Run();
                return;
            }

            var connection = new StatsConnection(this, fd);
            _connections.Add(fd, connection);
            _timer!.Run();
            try
            {
                connection.Begin(_statsHttp);
            }
            catch (PosixException e)
            {
                Log.ConnectionFailed(Logger, e, fd);
                connection.Close();
            }
        }
    }

    private void Sweep()
    {
        long now = Environment.TickCount64;
        _expired.Clear();
        foreach (var connection in _connections.Values)
        {
            if (now >= connection.Deadline)
            {
                _expired.Add(connection);
            }
        }

        foreach (var connection in _expired)
        {
            if (connection.IsReadingRequest)
            {
                Log.RequestTimedOut(Logger, connection.Fd, StatsConnection.IdleTimeoutMs / 1000);
            }

            connection.Close();
        }

        _expired.Clear();
        if (_acceptPaused)
        {
            _acceptPaused = false;
            Loop.Add(_listener!.Fd, EventLoop.Readable, OnListenerReady);
        }

        if (_connections.Count == 0)
        {
            _timer!.Stop();
        }
    }
}
