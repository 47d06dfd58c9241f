using System.Text;
using ForkServer.Abstractions;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Http.RequestLog;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Warmup;

/// <summary>
/// Serves two requests over loopback with the worker's own HTTP code (and one in uWSGI's protocol), on the calling thread, so that a process
/// which will fork workers has already compiled and loaded what a worker's first request needs. With tiered
/// compilation off, whatever a forked worker runs for the first time is JIT-compiled in that worker, and that
/// cost, paid again in every worker, was most of the time to its first response.
/// </summary>
/// <remarks>
/// Single-threaded (non-blocking sockets driven by a private <see cref="EventLoop"/>), so it is fork-safe, and
/// the application is never called: a fixed handler answers, echoing the request the way a loader reads it.
/// </remarks>
internal static class HttpRehearsal
{
    private const int TimeoutMs = 2000;

    // Keep-alive, then a pipelined request with a body that closes the connection: the paths a real client takes.
    private static readonly byte[] s_requests = Encoding.ASCII.GetBytes(
        "GET /rehearsal?x=1 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: forkserver\r\nAccept: */*\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n"
        + "POST /rehearsal HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
        + "Connection: close\r\n\r\nok");

    /// <summary>A log-format with every variable, so that a vassal's own format finds its code compiled.</summary>
    public static RequestLogSettings EveryLogVariable { get; } = new(
        RequestLogFormat.Parse("%(method) %(uri) %(proto) %(user) %(addr) %(host) %(uagent) %(referer) %(status) %(size) "
            + "%(rsize) %(hsize) %(headers) %(cl) %(msecs) %(micros) %(secs) %(time) %(ctime) %(ltime) %(ftime) %(epoch) "
            + "%(tmsecs) %(tmicros) %(pid) %(wid) %(switches) %(core) %(vars) %(pktsize) %(modifier1) %(ioerr) %(logvar) "
            + "%(var.HTTP_HOST) %(var.REMOTE_PORT) %(var.OTHER)"),
        AddressFromForwardedFor: true,
        DateFormat: "%Y-%m-%dT%H:%M:%S%z");

    // What nginx's uwsgi_pass sends for a POST: the packet of CGI variables, then the body.
    private static readonly byte[] s_uwsgiRequest = UwsgiPacket(
        [
            new("QUERY_STRING", "x=1"), new("REQUEST_METHOD", "POST"), new("CONTENT_TYPE", "text/plain"), new("CONTENT_LENGTH", "2"),
            new("REQUEST_URI", "/rehearsal?x=1"), new("PATH_INFO", "/rehearsal"), new("SERVER_PROTOCOL", "HTTP/1.1"),
            new("REQUEST_SCHEME", "http"), new("REMOTE_ADDR", "127.0.0.1"), new("REMOTE_PORT", "40000"), new("SERVER_PORT", "80"),
            new("SERVER_NAME", "localhost"), new("HTTP_HOST", "localhost"), new("HTTP_USER_AGENT", "forkserver"),
        ],
        "ok"u8);

    /// <summary>Runs the rehearsal; returns what the client received (two responses when all went well).</summary>
    /// <param name="limits">The worker's limits.</param>
    /// <param name="logger">Where the server's events go.</param>
    /// <param name="requestLog">The request log to write, into a scratch pipe; null for none.</param>
    /// <exception cref="PosixException">A socket call failed (no loopback interface, for instance).</exception>
    /// <exception cref="TimeoutException">The exchange did not finish in time.</exception>
    public static string Run(HttpLimits limits, ILogger logger, RequestLogSettings? requestLog = null)
        => WithRequestLog(ListenerProtocol.Http, s_requests, limits, logger, requestLog);

    /// <summary>The same for a socket speaking uWSGI's protocol: one request with a body, as nginx sends it.</summary>
    /// <exception cref="PosixException">A socket call failed (no loopback interface, for instance).</exception>
    /// <exception cref="TimeoutException">The exchange did not finish in time.</exception>
    public static string RunUwsgi(HttpLimits limits, ILogger logger, RequestLogSettings? requestLog = null)
        => WithRequestLog(ListenerProtocol.Uwsgi, s_uwsgiRequest, limits, logger, requestLog);

    private static string WithRequestLog(ListenerProtocol protocol, byte[] requests, HttpLimits limits, ILogger logger, RequestLogSettings? requestLog)
    {
        var (logRead, logWrite) = Pipes.Create("the rehearsed request log");
        try
        {
            var writer = requestLog is null ? null : new RequestLogWriter(requestLog, ProcessCalls.GetPid(), 1, logWrite);
            return Exchange(protocol, requests, limits, logger, writer);
        }
        finally
        {
            Descriptors.Close(logRead);
            Descriptors.Close(logWrite);
        }
    }

    private static string Exchange(ListenerProtocol protocol, byte[] requests, HttpLimits limits, ILogger logger, RequestLogWriter? requestLog)
    {
        using var listener = ListeningSocket.BindTcp("127.0.0.1:0", 1, protocol);
        using var loop = new EventLoop();
        var server = new HttpServerLoop(loop, listener, new EchoHandler(), limits, logger) { RequestLog = requestLog };
        server.Start();
        int client = TcpClients.Connect(SocketEndpoint.Parse($"127.0.0.1:{listener.Port}"));
        try
        {
            SendAll(client, requests);
            var received = new StringBuilder();
            long deadline = Environment.TickCount64 + TimeoutMs;
            byte[] buffer = new byte[4096];
            while (true)
            {
                loop.RunOnce(10);
                switch (SocketIo.Receive(client, buffer, out int count, out int errno))
                {
                    case IoOutcome.EndOfStream:
                        return received.ToString();
                    case IoOutcome.Transferred:
                        received.Append(Encoding.Latin1.GetString(buffer, 0, count));
                        break;
                    case IoOutcome.Failed:
                        throw new PosixException("recv on the rehearsal client", errno);
                }

                if (Environment.TickCount64 > deadline)
                {
                    throw new TimeoutException($"the HTTP rehearsal did not finish within {TimeoutMs} ms");
                }
            }
        }
        finally
        {
            Descriptors.Close(client);
            server.CloseAll();
        }
    }

    private static byte[] UwsgiPacket(KeyValuePair<string, string>[] variables, ReadOnlySpan<byte> body)
    {
        var packet = new List<byte>([0, 0, 0, 0]);
        foreach (var (key, value) in variables)
        {
            foreach (string text in (string[])[key, value])
            {
                packet.Add((byte)text.Length);
                packet.Add((byte)(text.Length >> 8));
                packet.AddRange(Encoding.ASCII.GetBytes(text));
            }
        }

        int size = packet.Count - 4;
        packet[1] = (byte)size;
        packet[2] = (byte)(size >> 8);
        packet.AddRange(body.ToArray());
        return [.. packet];
    }

    // Loopback takes the whole request at once, or not at all when the handshake is still under way.
    private static void SendAll(int fd, byte[] bytes)
    {
        if (SocketIo.Send(fd, bytes, out int sent, out int errno) != IoOutcome.Transferred || sent != bytes.Length)
        {
            throw new PosixException($"send of the rehearsal requests ({sent} of {bytes.Length} bytes)", errno);
        }
    }

    /// <summary>Reads every field of the request and answers with them, as a loader turning a request into its own form would.</summary>
    private sealed class EchoHandler : IRequestHandler
    {
        public void Handle(IRequest request, IResponse response)
        {
            var text = new StringBuilder()
                .Append(request.Method).Append(' ').Append(request.RawTarget).Append(' ').Append(request.RawPath)
                .Append(' ').Append(request.QueryString).Append(' ').Append(request.Protocol).Append(' ')
                .Append(request.Scheme).Append(' ').Append(request.RemoteAddress).Append(':').Append(request.RemotePort)
                .Append(' ').Append(request.ServerAddress).Append(':').Append(request.ServerPort).Append(' ')
                .Append(request.Body.Length).Append(' ').Append(request.BodyLength).Append(' ').Append(request.BodyFile);
            foreach (var (name, value) in request.Headers)
            {
                text.Append('\n').Append(name).Append(": ").Append(value);
            }

            byte[] body = Encoding.Latin1.GetBytes(text.ToString());
            response.Start(200, [new("Content-Type", "text/plain"), new("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            response.Write(body);
            response.Complete();
        }
    }
}
