using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// One client of the stats socket, driven by readiness so a slow or silent peer never holds up the Emperor's
/// loop: (HTTP mode only) read the request, write the whole document, then close gracefully.
/// </summary>
internal sealed class StatsConnection
{
    /// <summary>The most a stats-http request may take, as in uWSGI.</summary>
    public const int MaxRequestBytes = 4096;

    /// <summary>How long a client may take to send its request, or to take the next part of the reply.</summary>
    public const long IdleTimeoutMs = 5000;

    // After the reply, how long to wait for the client to close first (see Finish).
    private const long LingerMs = 2000;

    private readonly EmperorStatsServer _server;
    private byte[]? _request;
    private int _requestLength;
    private byte[] _reply = [];
    private int _sent;
    private int _watched;
    private Phase _phase;

    public StatsConnection(EmperorStatsServer server, int fd)
    {
        _server = server;
        Fd = fd;
    }

    private enum Phase
    {
        ReadingRequest,
        Writing,
        Lingering,
    }

    public int Fd { get; }

    /// <summary>When (<see cref="Environment.TickCount64"/>) the connection is dropped unless it makes progress.</summary>
    public long Deadline { get; private set; }

    /// <summary>Whether it is still waiting for the request (for the log when it expires).</summary>
    public bool IsReadingRequest => _phase == Phase.ReadingRequest;

    /// <summary>Starts serving: reads a request first in HTTP mode, else writes the document at once.</summary>
    public void Begin(bool statsHttp)
    {
        Deadline = Environment.TickCount64 + IdleTimeoutMs;
        if (statsHttp)
        {
            _phase = Phase.ReadingRequest;
            _request = new byte[MaxRequestBytes];
            Watch(EventLoop.Readable);
        }
        else
        {
            Respond(http: false);
        }
    }

    /// <summary>Loop callback.</summary>
    public void OnReady(int events)
    {
        try
        {
            switch (_phase)
            {
                case Phase.ReadingRequest:
                    ReadRequest();
                    break;
                case Phase.Writing:
                    Send();
                    break;
                case Phase.Lingering:
                    Discard();
                    break;
            }
        }
        catch (PosixException e)
        {
            // An epoll_ctl failure concerns this client only; the Emperor's loop goes on.
            EmperorStatsServer.Log.ConnectionFailed(_server.Logger, e, Fd);
            Close();
        }
    }

    /// <summary>Stops watching and closes the socket.</summary>
    public void Close()
    {
        if (_watched != 0)
        {
            _server.Loop.Remove(Fd);
            _watched = 0;
        }

        Descriptors.Close(Fd);
        _server.Forget(this);
    }

    private void ReadRequest()
    {
        switch (SocketIo.Receive(Fd, _request.AsSpan(_requestLength), out int n, out int errno))
        {
            case IoOutcome.WouldBlock:
                return;
            case IoOutcome.Failed:
                Fail("read request", errno);
                return;
            case IoOutcome.EndOfStream:
                // A client that sent something and then shut down its side has said all it will say.
                if (_requestLength > 0)
                {
                    Respond(http: true);
                }
                else
                {
                    Close();
                }

                return;
        }

        _requestLength += n;
        var received = _request.AsSpan(0, _requestLength);
        if (received.IndexOf("\r\n\r\n"u8) >= 0 || received.IndexOf("\n\n"u8) >= 0)
        {
            Respond(http: true);
        }
        else if (_requestLength == MaxRequestBytes)
        {
            EmperorStatsServer.Log.RequestTooLarge(_server.Logger, Fd, MaxRequestBytes);
            Close();
        }
    }

    private void Respond(bool http)
    {
        byte[]? document = _server.RenderDocument();
        if (document is null)
        {
            Close();
            return;
        }

        _request = null;
        _reply = http ? StatsHttpReply.Frame(document) : document;
        _phase = Phase.Writing;
        Deadline = Environment.TickCount64 + IdleTimeoutMs;
        Send();
    }

    private void Send()
    {
        while (_sent < _reply.Length)
        {
            switch (SocketIo.Send(Fd, _reply.AsSpan(_sent), out int n, out int errno))
            {
                case IoOutcome.WouldBlock:
                    Watch(EventLoop.Writable);
                    return;
                case IoOutcome.Failed:
                    Fail("send document", errno);
                    return;
            }

            _sent += n;
            Deadline = Environment.TickCount64 + IdleTimeoutMs;
        }

        Finish();
    }

    private void Finish()
    {
        // Closing with unread request bytes in the buffer would make the kernel send RST, which can destroy the
        // reply before the client reads it. So: send FIN, read until the client closes too, then close.
        if (!SocketIo.TryShutdownWrite(Fd, out int errno))
        {
            Fail("shutdown", errno);
            return;
        }

        _reply = [];
        _phase = Phase.Lingering;
        Deadline = Environment.TickCount64 + LingerMs;
        Watch(EventLoop.Readable);
    }

    private void Discard()
    {
        Span<byte> sink = stackalloc byte[512];
        IoOutcome outcome;
        while ((outcome = SocketIo.Receive(Fd, sink, out _, out _)) == IoOutcome.Transferred)
        {
        }

        if (outcome != IoOutcome.WouldBlock)
        {
            // EOF, or a reset: the client is done either way.
            Close();
        }
    }

    private void Fail(string operation, int errno)
    {
        EmperorStatsServer.Log.ClientGone(_server.Logger, Fd, operation, errno);
        Close();
    }

    private void Watch(int events)
    {
        if (_watched == events)
        {
            return;
        }

        if (_watched == 0)
        {
            _server.Loop.Add(Fd, events, OnReady);
        }
        else
        {
            _server.Loop.Modify(Fd, events);
        }

        _watched = events;
    }
}
