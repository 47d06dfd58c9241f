using System.Buffers;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>Receiving: the head into the reusable input buffer, the body into its <see cref="RequestBodyBuffer"/>.</summary>
internal sealed partial class HttpConnection
{
    private HttpRequest? _pending;
    private RequestFraming _framing;
    private ChunkedBodyDecoder? _chunkedBody;

    /// <summary>Serves every request that is complete, then waits for the next readiness callback.</summary>
    private void Process()
    {
        while (State switch
        {
            ConnectionState.ReadingHead => AdvanceHead(),
            ConnectionState.ReadingBody => AdvanceBody(),
            _ => false,
        })
        {
        }
    }

    /// <returns>True to go on; false to wait for the socket.</returns>
    private bool AdvanceHead()
    {
        try
        {
            var unconsumed = _input.AsSpan(_inputStart, _inputEnd - _inputStart);
            int maxHeaderBytes = _server.Limits.MaxHeaderBytes;
            bool complete = _server.Protocol == ListenerProtocol.Uwsgi
                ? UwsgiRequestReader.TryParse(unconsumed, maxHeaderBytes, _endpoints, out int consumed, out _pending, out _framing)
                : HttpRequestParser.TryParse(unconsumed, maxHeaderBytes, _endpoints, out consumed, out _pending, out _framing);
            if (!complete)
            {
                return ReceiveIntoInput();
            }

            _inputStart += consumed;
            State = ConnectionState.ReadingBody;
            BeginBody();
            return true;
        }
        catch (HttpProtocolException e)
        {
            Refuse(e);
            return false;
        }
        catch (PosixException e)
        {
            RefuseUnstoredBody(e);
            return false;
        }
    }

    private void BeginBody()
    {
        var limits = _server.Limits;
        if (_framing.Encoding == BodyEncoding.ContentLength)
        {
            // Refused before a byte of the body is read: with Expect, the client never has to send it.
            if (_framing.ContentLength > limits.MaxBodyBytes || _framing.ContentLength > Array.MaxLength)
            {
                throw new HttpProtocolException(413, "request body too large");
            }

            _body.Begin(_framing.ContentLength);
        }
        else if (_framing.Encoding == BodyEncoding.Chunked)
        {
            _body.Begin(-1);
            _chunkedBody = new ChunkedBodyDecoder(_body, limits.MaxBodyBytes, limits.MaxHeaderBytes);
        }

        // A client that already sent body bytes is not waiting for permission.
        if (_framing.ExpectContinue && _framing.Encoding != BodyEncoding.None && _inputStart == _inputEnd)
        {
            _response.SendContinue();
        }
    }

    /// <returns>True to go on; false to wait for the socket.</returns>
    private bool AdvanceBody()
    {
        try
        {
            if (_framing.Encoding == BodyEncoding.ContentLength && !ReceiveFixedBody())
            {
                return false;
            }

            if (_framing.Encoding == BodyEncoding.Chunked && !ReceiveChunkedBody())
            {
                return false;
            }
        }
        catch (HttpProtocolException e)
        {
            Refuse(e);
            return false;
        }
        catch (PosixException e)
        {
            RefuseUnstoredBody(e);
            return false;
        }

        var request = _pending!;
        request.Body = _body.Memory;
        request.BodyFile = _body.File;
        request.BodyLength = _body.Length;

        Dispatch();
        return State == ConnectionState.ReadingHead;
    }

    private bool ReceiveFixedBody()
    {
        long length = _framing.ContentLength;
        int buffered = (int)Math.Min(_inputEnd - _inputStart, length - _body.Length);
        _body.Write(_input.AsSpan(_inputStart, buffered));
        _inputStart += buffered;

        // The rest goes straight into the body's array (or the spool's scratch buffer): no copy through the input buffer.
        while (_body.Length < length)
        {
            var target = _body.GetSpan();
            int n = Receive(target[..(int)Math.Min(target.Length, length - _body.Length)]);
            if (n <= 0)
            {
                return false;
            }

            _body.Advance(n);
        }

        return true;
    }

    private bool ReceiveChunkedBody()
    {
        var decoder = _chunkedBody!;
        while (true)
        {
            bool done = decoder.Decode(_input.AsSpan(_inputStart, _inputEnd - _inputStart), out int consumed);
            _inputStart += consumed;
            if (done)
            {
                _chunkedBody = null;
                return true;
            }

            if (!ReceiveIntoInput())
            {
                return false;
            }
        }
    }

    private bool ReceiveIntoInput()
    {
        if (_inputStart == _inputEnd)
        {
            _inputStart = _inputEnd = 0;
        }
        else if (_inputStart > 0 && _input.Length - _inputEnd < 4096)
        {
            _input.AsSpan(_inputStart, _inputEnd - _inputStart).CopyTo(_input);
            _inputEnd -= _inputStart;
            _inputStart = 0;
        }

        // Parsers refuse a head or chunk line before it can fill the buffer, so a full buffer is a bug.
        if (_inputEnd == _input.Length)
        {
            throw new InvalidOperationException("input buffer full without a parse error");
        }

        int n = Receive(_input.AsSpan(_inputEnd));
        _inputEnd += Math.Max(n, 0);
        return n > 0;
    }

    /// <summary>One <c>recv</c> into <paramref name="target"/>.</summary>
    /// <returns>The byte count; 0 when nothing is there yet or the connection ended (then it is closed).</returns>
    private int Receive(Span<byte> target)
    {
        // After a short read the socket was empty: let the (level-triggered) loop tell when more arrives.
        if (!_socketMayHaveMore)
        {
            return 0;
        }

        switch (SocketIo.Receive(Fd, target, out int n, out _))
        {
            case IoOutcome.Transferred:
                LastActivity = Environment.TickCount64;
                _socketMayHaveMore = n == target.Length;
                return n;
            case IoOutcome.WouldBlock:
                _socketMayHaveMore = false;
                return 0;
            default:
                // End of stream or a reset: a half-received request dies with the connection.
                _socketMayHaveMore = false;
                Close();
                return 0;
        }
    }
}
