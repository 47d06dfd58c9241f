using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The base's connections: every queued connection is accepted at each wake-up, a peer of another uid is closed at
/// once (and counted, <see cref="RefusedPeers"/>), and the requests of allowed peers are read side by side on the
/// event loop, each under its own deadline (<c>socket-timeout</c>), so that no peer, silent or slow, delays the
/// Emperor's next request.
/// </summary>
internal sealed partial class ForkServerBase
{
    // Privileged peers (root, the base's uid) could hold any number of connections open: past this many requests
    // being read, the rest waits in the backlog until one ends.
    private const int MaxRequestsInProgress = 32;

    private readonly Dictionary<int, IncomingRequest> _incoming = new();
    private readonly RefusedPeers _refused = new(logging.CreateLogger("fork-server"));
    private Action? _watchListener;
    private bool _listenerWatched;

    // The connection and its request while it is handed over: a spare forked for it then inherits their fds, and
    // must close them (it gets its own copies by SCM_RIGHTS).
    private IncomingRequest? _incomingInFlight;
    private HandedRequest? _requestInFlight;

    private void WatchConnections(EventLoop loop, UnixListeningSocket listener, SpareSupply spares, TimeSpan timeout)
    {
        _watchListener = () =>
        {
            loop.Add(listener.Fd, EventLoop.Readable, _ => OnConnections(loop, listener, spares, timeout));
            _listenerWatched = true;
        };
        _watchListener();
    }

    /// <summary>Accepts every queued connection (up to <see cref="MaxRequestsInProgress"/> requests being read).</summary>
    private unsafe void OnConnections(EventLoop loop, UnixListeningSocket listener, SpareSupply spares, TimeSpan timeout)
    {
        uint own = ProcessCalls.GetUid();
        while (_incoming.Count < MaxRequestsInProgress)
        {
            switch (SocketAccept.Next(listener.Fd, null, out int accepted, out int errno))
            {
                case AcceptOutcome.Empty:
                    return;
                case AcceptOutcome.Failed:
                    Log.AcceptFailed(_log, errno);
                    return;
            }

            var connection = new FileDescriptor(accepted);
            PeerCredentials peer;
            try
            {
                peer = PeerCredentials.Of(accepted);
            }
            catch (PosixException e)
            {
                connection.Dispose();
                Log.RequestRefused(_log, e.Message);
                continue;
            }

            if (peer.Uid != 0 && peer.Uid != own)
            {
                connection.Dispose();
                _refused.Refused(peer, own);
                continue;
            }

            var request = new IncomingRequest(connection, peer, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
            _incoming.Add(accepted, request);
            loop.Add(accepted, EventLoop.Readable, _ => OnRequestData(loop, request, spares));
        }

        // Level-triggered, the listener would wake the loop for nothing until a request ends.
        loop.Remove(listener.Fd);
        _listenerWatched = false;
    }

    private void OnRequestData(EventLoop loop, IncomingRequest incoming, SpareSupply spares)
    {
        HandedRequest? request;
        try
        {
            request = incoming.ReadAvailable();
        }
        catch (Exception e) when (e is WireFormatException or EndOfStreamException or PosixException or FdPassingException)
        {
            Log.RequestRefused(_log, $"{e.Message} (from pid {incoming.Peer.Pid})");
            Forget(loop, incoming);
            incoming.Dispose();
            return;
        }

        if (request is null)
        {
            return;
        }

        Forget(loop, incoming);
        using (incoming)
        using (request)
        {
            Adopt(incoming, request, spares);
        }
    }

    /// <summary>
    /// Hands a whole request, with its connection, to the spare, which answers the Emperor itself; the base keeps
    /// none of it. An Emperor that already gave up on the session (its end closed) gets nothing forked.
    /// </summary>
    private void Adopt(IncomingRequest incoming, HandedRequest request, SpareSupply spares)
    {
        string argv = string.Join(' ', request.Request.Argv);
        if (SocketIo.PeerHungUp(incoming.Connection.Fd))
        {
            Log.GaveUp(_log, argv, incoming.Peer.Pid);
            return;
        }

        Log.Adopting(_log, argv, incoming.Peer.Pid, request.Request.FdCount);
        _incomingInFlight = incoming;
        _requestInFlight = request;
        try
        {
            spares.HandOver(incoming.Connection.Fd, request, incoming.Deadline);
        }
        catch (Exception e) when (e is TimeoutException or IOException or PosixException or WireFormatException)
        {
            // IOException: no spare could be forked for the request.
            Log.RequestRefused(_log, e.Message);
        }
        finally
        {
            _incomingInFlight = null;
            _requestInFlight = null;
        }
    }

    /// <summary>Drops the requests whose peer did not send them whole in time.</summary>
    private void EnforceRequestDeadlines(EventLoop loop, TimeSpan timeout)
    {
        long now = Environment.TickCount64;
        foreach (var incoming in _incoming.Values.Where(r => now >= r.Deadline).ToList())
        {
            Log.RequestRefused(_log, $"no whole request within {timeout.TotalSeconds} s (socket-timeout) from pid {incoming.Peer.Pid}");
            Forget(loop, incoming);
            incoming.Dispose();
        }
    }

    /// <summary>Milliseconds until the earliest request's deadline, or -1.</summary>
    private int NextRequestTimeoutMs()
    {
        if (_incoming.Count == 0)
        {
            return -1;
        }

        long earliest = _incoming.Values.Min(r => r.Deadline);
        return (int)Math.Clamp(earliest - Environment.TickCount64, 0, int.MaxValue);
    }

    /// <summary>Stops reading <paramref name="incoming"/>; the caller closes it.</summary>
    private void Forget(EventLoop loop, IncomingRequest incoming)
    {
        loop.Remove(incoming.Connection.Fd);
        _incoming.Remove(incoming.Connection.Fd);
        if (!_listenerWatched)
        {
            _watchListener!();
        }
    }

    /// <summary>In a spare: closes every connection of the base and what came on them.</summary>
    private void ReleaseRequests()
    {
        _incomingInFlight?.Dispose();
        _requestInFlight?.Dispose();
        foreach (var incoming in _incoming.Values)
        {
            incoming.Dispose();
        }
    }
}
