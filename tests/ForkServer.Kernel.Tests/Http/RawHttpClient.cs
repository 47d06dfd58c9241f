using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>A wire-level HTTP client over a plain socket: sends exact bytes, reads responses one at a time.</summary>
internal sealed class RawHttpClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<byte> _pending = new();

    public RawHttpClient(int port)
    {
        _socket.ReceiveTimeout = 20_000;
        _socket.SendTimeout = 20_000;
        _socket.Connect(IPAddress.Loopback, port);
    }

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public void Send(string latin1) => Send(Encoding.Latin1.GetBytes(latin1));

    public void Send(byte[] bytes) => _socket.Send(bytes);

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one response; <paramref name="headRequest"/> says that no body follows whatever the headers say.</summary>
    public RawHttpResponse ReadResponse(bool headRequest = false)
    {
        string head = Encoding.Latin1.GetString(ReadUntil("\r\n\r\n"u8));
        var lines = head[..^4].Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        Assert.Equal("HTTP/1.1", statusParts[0]);
        int status = int.Parse(statusParts[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim()))
            .ToList();
        var response = new RawHttpResponse(status, headers, []);
        if (headRequest || status < 200 || status == 204 || status == 304)
        {
            return response;
        }

        if (response.Header("Content-Length") is { } length)
        {
            return response with { Body = ReadExactly(int.Parse(length, CultureInfo.InvariantCulture)) };
        }

        if (response.Header("Transfer-Encoding") is "chunked")
        {
            return response with { Body = ReadChunked() };
        }

        return response with { Body = ReadToEnd() };
    }

    /// <summary>Reads (bounded by the receive timeout) until <paramref name="marker"/> has arrived; returns all bytes through it.</summary>
    public string ReadThrough(string marker) => Encoding.Latin1.GetString(ReadUntil(Encoding.Latin1.GetBytes(marker)));

    /// <summary>Reads until the server closes the connection.</summary>
    public byte[] ReadToEnd()
    {
        while (Fill())
        {
        }

        return Take(_pending.Count);
    }

    /// <summary>True when the server closed the connection (after any bytes still unread).</summary>
    public bool ServerClosed()
    {
        try
        {
            ReadToEnd();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private byte[] ReadChunked()
    {
        var body = new List<byte>();
        while (true)
        {
            string sizeLine = Encoding.Latin1.GetString(ReadUntil("\r\n"u8)).TrimEnd();
            int size = int.Parse(sizeLine, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                ReadUntil("\r\n"u8);
                return [.. body];
            }

            body.AddRange(ReadExactly(size));
            Assert.Equal("\r\n"u8.ToArray(), ReadExactly(2));
        }
    }

    private byte[] ReadUntil(ReadOnlySpan<byte> terminator)
    {
        int found;
        while ((found = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending).IndexOf(terminator)) < 0)
        {
            Assert.True(Fill(), "connection closed before the expected bytes arrived");
        }

        return Take(found + terminator.Length);
    }

    private byte[] ReadExactly(int count)
    {
        while (_pending.Count < count)
        {
            Assert.True(Fill(), "connection closed before the expected bytes arrived");
        }

        return Take(count);
    }

    private byte[] Take(int count)
    {
        var taken = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return taken;
    }

    private bool Fill()
    {
        var buffer = new byte[65536];
        int n = _socket.Receive(buffer);
        _pending.AddRange(buffer.AsSpan(0, n));
        return n > 0;
    }
}
