using System.Globalization;
using System.Text;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>The output buffer and the socket writes.</summary>
internal sealed partial class HttpResponse
{
    /// <summary>Sends the interim <c>100 Continue</c> that lets a waiting client send its body.</summary>
    public void SendContinue() => SendAll("HTTP/1.1 100 Continue\r\n\r\n"u8);

    private void Append(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
    }

    private void AppendLatin1(string text)
    {
        EnsureCapacity(text.Length);
        _buffered += Encoding.Latin1.GetBytes(text, _buffer.AsSpan(_buffered));
    }

    private void AppendChunkSize(int size)
    {
        EnsureCapacity(10);
        size.TryFormat(_buffer.AsSpan(_buffered), out int written, "x", CultureInfo.InvariantCulture);
        _buffered += written;
        Append("\r\n"u8);
    }

    private void AppendBody(ReadOnlySpan<byte> chunk)
    {
        if (_buffered + chunk.Length <= FlushThreshold)
        {
            Append(chunk);
            return;
        }

        // Copying a big piece into the buffer would only delay it: send what is queued, then the piece itself.
        Flush();
        SendAll(chunk);
    }

    private void EnsureCapacity(int more)
    {
        if (_buffered + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _buffered + more));
        }
    }

    private void Flush()
    {
        if (_buffered > 0)
        {
            SendAll(_buffer.AsSpan(0, _buffered));
            _buffered = 0;
        }
    }

    /// <summary>
    /// Sends all of <paramref name="bytes"/>, waiting for a slow client up to the write timeout. The handler is
    /// synchronous, so blocking here costs nothing the worker could have done meanwhile.
    /// </summary>
    private void SendAll(ReadOnlySpan<byte> bytes)
    {
        long deadline = Environment.TickCount64 + (limits.WriteTimeoutSeconds * 1000L);
        int sent = 0;
        while (sent < bytes.Length && !ClientDisconnected)
        {
            switch (SocketIo.Send(fd, bytes[sent..], out int n, out int errno))
            {
                case IoOutcome.Transferred:
                    sent += n;
                    HasSentBytes = true;
                    break;
                case IoOutcome.WouldBlock:
                    WaitWritable(deadline);
                    break;
                default:
                    // EPIPE, ECONNRESET and the like: the client went away; the handler's later writes are dropped.
                    HttpServerLoop.Log.ClientGone(logger, fd, errno);
                    ClientDisconnected = true;
                    break;
            }
        }
    }

    private void WaitWritable(long deadline)
    {
        // Each wait is bounded by the write timeout, and all the waits of one response together by the response's
        // wait limit: a client reading a byte now and then would otherwise hold the worker for ever.
        long budgetLeftMs = (limits.MaxResponseWaitSeconds * 1000L) - _waitedMs;
        long started = Environment.TickCount64;

        // Writable, or in error: the next send tells which.
        bool writable = Readiness.WaitWritable(fd, Math.Min(deadline, started + budgetLeftMs), "poll(POLLOUT) on fd");
        _waitedMs += Environment.TickCount64 - started;
        if (writable)
        {
            return;
        }

        if (Environment.TickCount64 < deadline)
        {
            HttpServerLoop.Log.ResponseWaitExceeded(logger, fd, limits.MaxResponseWaitSeconds);
        }
        else
        {
            HttpServerLoop.Log.WriteTimedOut(logger, fd, limits.WriteTimeoutSeconds);
        }

        ClientDisconnected = true;
    }
}
