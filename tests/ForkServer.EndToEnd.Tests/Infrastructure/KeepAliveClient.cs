using System.Net.Sockets;
using System.Text;

namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One HTTP/1.1 client on one keep-alive connection, sending GET / and reading each response whole (by
/// Content-Length, chunks, or to the close). Unlike <see cref="HttpClient"/>, it never retries a request on a new
/// connection: a connection that breaks under a request is a failed request. The next one connects anew.
/// </summary>
internal sealed class KeepAliveClient : IDisposable
{
    private static readonly byte[] Request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray();

    private readonly int _port;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Socket? _socket;
    private int _start;
    private int _end;

    public KeepAliveClient(int port)
    {
        _port = port;
    }

    /// <summary>Sends GET / and reads the whole response; true for a 200.</summary>
    public async Task<bool> Get(TimeSpan timeout, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(timeout);
        try
        {
            if (_socket is null)
            {
                _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await _socket.ConnectAsync("127.0.0.1", _port, deadline.Token);
            }

            await _socket.SendAsync(Request, deadline.Token);
            return await ReadResponse(deadline.Token);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or InvalidDataException or FormatException)
        {
            Close();
            return false;
        }
    }

    public void Dispose() => Close();

    private async Task<bool> ReadResponse(CancellationToken token)
    {
        string status = await ReadLine(token);
        long? length = null;
        bool chunked = false, close = false;
        for (string line = await ReadLine(token); line.Length > 0; line = await ReadLine(token))
        {
            int colon = line.IndexOf(':');
            string name = line[..Math.Max(colon, 0)], value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(value);
            }

            chunked |= name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            close |= name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Equals("close", StringComparison.OrdinalIgnoreCase);
        }

        if (chunked)
        {
            // Each chunk: its size in hex, the data, CRLF; a zero size ends the body, then trailer fields and CRLF.
            long size;
            while ((size = Convert.ToInt64((await ReadLine(token)).Split(';')[0].Trim(), 16)) > 0)
            {
                await Skip(size + 2, token);
            }

            while ((await ReadLine(token)).Length > 0)
            {
                // trailer fields
            }
        }
        else if (length is { } bytes)
        {
            await Skip(bytes, token);
        }
        else
        {
            close = true;
            await Skip(long.MaxValue, token, untilClosed: true);
        }

        if (close)
        {
            Close();
        }

        return status.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal);
    }

    private async Task<string> ReadLine(CancellationToken token)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                string line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            if (!await Fill(token))
            {
                throw new IOException("the connection closed inside a response");
            }
        }
    }

    private async Task Skip(long count, CancellationToken token, bool untilClosed = false)
    {
        while (count > 0)
        {
            if (_start == _end && !await Fill(token))
            {
                if (untilClosed)
                {
                    return;
                }

                throw new IOException("the connection closed inside a body");
            }

            int taken = (int)Math.Min(count, _end - _start);
            _start += taken;
            count -= taken;
        }
    }

    // Reads more bytes after the unread ones; false when the server closed the connection.
    private async Task<bool> Fill(CancellationToken token)
    {
        if (_start == _end)
        {
            (_start, _end) = (0, 0);
        }
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            (_start, _end) = (0, _end - _start);
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidDataException("a response line longer than the buffer");
        }

        int read = await _socket!.ReceiveAsync(_buffer.AsMemory(_end), token);
        _end += read;
        return read > 0;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        (_start, _end) = (0, 0);
    }
}
