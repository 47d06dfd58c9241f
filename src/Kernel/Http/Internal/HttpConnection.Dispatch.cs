using System.Diagnostics;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>Running the handler for a complete request and cleaning up after it.</summary>
internal sealed partial class HttpConnection
{
    private void Dispatch()
    {
        var request = _pending!;
        _pending = null;
        State = ConnectionState.ReadingHead;
        var requestLog = _server.RequestLog;
        long started = requestLog is null ? 0 : Stopwatch.GetTimestamp();

        // Once the worker is stopping, or serves its last request, every response says so and its connection ends.
        bool more = _server.BeginRequest(request);
        _response.Begin(request, _framing.KeepAlive && more && !_server.IsStopping);
        try
        {
            _server.Handler.Handle(request, _response);
        }
        catch (Exception e)
        {
            if (!_response.HasSentBytes && !_response.ClientDisconnected)
            {
                HttpServerLoop.Log.HandlerFailed(_server.Logger, e, request.Method, request.RawTarget);
                _response.SendError(500, "Internal Server Error", closeConnection: false);
            }
            else
            {
                HttpServerLoop.Log.HandlerFailedAfterStart(_server.Logger, e, request.Method, request.RawTarget);
                _response.Abort();
            }
        }

        if (!_response.IsCompleted)
        {
            HttpServerLoop.Log.ResponseNotCompleted(_server.Logger, request.Method, request.RawTarget);
            if (_response.IsStarted)
            {
                _response.Complete();
            }
            else
            {
                _response.SendError(500, "the application sent no response", closeConnection: false);
            }
        }
        else if (_response.IsAborted && !_response.HasSentBytes && !_response.ClientDisconnected)
        {
            // Nothing reached the client yet (the head waits in the buffer until the first flush): a 500 tells it
            // what a connection closed without a word would not.
            HttpServerLoop.Log.AbortedBeforeSending(_server.Logger, request.Method, request.RawTarget);
            _response.SendError(500, "Internal Server Error", closeConnection: true);
        }

        _body.Release();
        if (requestLog is not null)
        {
            long elapsedMicros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            long nowMicros = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            requestLog.Write(request, _response, nowMicros - elapsedMicros, elapsedMicros);
        }

        LastActivity = Environment.TickCount64;
        HasServedRequest = true;
        if (!_response.KeepConnectionOpen)
        {
            Close();
        }

        _server.NotifyRequestCompleted();
    }
}
