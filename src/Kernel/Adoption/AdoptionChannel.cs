using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The messages of an adoption, on each of its hops: one encoding throughout, the fork-server request as the
/// Emperor frames it (docs/protocol.md#request: <c>modifier1</c> 35, the fd mask in <c>modifier2</c>, the vassal's
/// argv), its fds in one <c>SCM_RIGHTS</c> message in the mask's order. Every read and write is bound by a deadline
/// (D1 in docs/uwsgi-defects.md: uWSGI's could block for ever, these cannot).
/// </summary>
/// <remarks>
/// <para>The hops, in order:</para>
/// <list type="number">
/// <item>Emperor → base, on the fork-server socket: the request as uWSGI's Emperor sends it.</item>
/// <item>base → spare vassal, on the spare channel: the same request, with the Emperor's connection ahead of its
/// fds (the spare sends the pid reply on it).</item>
/// <item>adopted master → spare worker, on the worker channel: the same request (without the config pipe, which
/// the master closes), with the write end of the worker's ready pipe ahead of its fds.</item>
/// <item>spare worker → master: one byte with the listening socket the worker bound (<see cref="SendListener"/>).</item>
/// </list>
/// </remarks>
internal static class AdoptionChannel
{
    /// <summary>
    /// Sends a request: <paramref name="leading"/> (if any) then <paramref name="fds"/>, which must match
    /// <paramref name="mask"/>. The caller keeps, and closes, its copies.
    /// </summary>
    /// <exception cref="PosixException">The peer is gone (EPIPE, ECONNRESET).</exception>
    /// <exception cref="TimeoutException">The peer did not take the message before <paramref name="deadline"/>.</exception>
    /// <exception cref="WireFormatException">The arguments cannot be encoded, or the mask is invalid.</exception>
    public static void Send(int socket, int? leading, IReadOnlyList<string> argv, ForkServerFdMask mask, ReadOnlySpan<int> fds, long deadline)
    {
        Span<int> passed = stackalloc int[(leading is null ? 0 : 1) + fds.Length];
        if (leading is { } first)
        {
            passed[0] = first;
        }

        fds.CopyTo(passed[(leading is null ? 0 : 1)..]);
        FdPassing.Send(socket, ForkServerRequest.Encode(argv, mask), passed, deadline);
    }

    /// <summary>Hands <paramref name="request"/> on as it came, its fds behind <paramref name="leading"/> (base to spare).</summary>
    /// <inheritdoc cref="Send(int, int?, IReadOnlyList{string}, ForkServerFdMask, ReadOnlySpan{int}, long)"/>
    public static void HandOn(int socket, int leading, HandedRequest request, long deadline)
        => Send(socket, leading, request.Request.Argv, request.Request.Mask, request.Fds(), deadline);

    /// <summary>
    /// Hands <paramref name="request"/> on to a spare worker: its arguments, the Emperor link (every request has one:
    /// the worker closes it at once, it is the master's alone) and the on-demand socket (the config pipe is the
    /// master's to close), behind <paramref name="readyPipe"/>, the write end of the worker's ready pipe.
    /// </summary>
    /// <inheritdoc cref="Send(int, int?, IReadOnlyList{string}, ForkServerFdMask, ReadOnlySpan{int}, long)"/>
    public static void HandOnToSpareWorker(int socket, int readyPipe, HandedRequest request, long deadline)
    {
        var mask = request.Request.Mask & ~ForkServerFdMask.Config;
        Span<int> fds = stackalloc int[ForkServerRequest.FdCountOf(mask)];
        fds[ForkServerRequest.ControlFdIndex] = request.Control.Fd;
        if (request.OnDemand is { } onDemand)
        {
            fds[^1] = onDemand.Fd;
        }

        Send(socket, readyPipe, request.Request.Argv, mask, fds, deadline);
    }

    /// <summary>
    /// Reads one request: the 4-byte header, with the fds attached to its first bytes, then the argv body, under one
    /// deadline; on any error every fd that arrived is closed before the exception leaves.
    /// </summary>
    /// <param name="socket">The socket the request comes on.</param>
    /// <param name="timeout">Bound on the whole read.</param>
    /// <param name="withLeading">Whether one fd comes ahead of the request's own (the hops between ForkServer's processes).</param>
    /// <exception cref="WireFormatException">The bytes are not an adoption request, or the fds do not match its mask.</exception>
    /// <exception cref="EndOfStreamException">The peer closed in the middle of the request.</exception>
    /// <exception cref="TimeoutException">The request was not whole in time.</exception>
    public static HandedRequest Receive(int socket, TimeSpan timeout, bool withLeading)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var fds = new List<int>();
        try
        {
            Span<byte> head = stackalloc byte[UwsgiPacketHeader.Length];
            FdPassing.ReceiveExactly(socket, head, fds, deadline);
            byte[] body = new byte[ReadHeader(head).Size];
            FdPassing.ReceiveExactly(socket, body, fds, deadline);
            return Complete(head, body, fds, withLeading);
        }
        catch
        {
            Descriptors.CloseAll(fds);
            throw;
        }
    }

    /// <summary>The header of a request, checked to be one (<c>modifier1</c> 35).</summary>
    /// <exception cref="WireFormatException">The bytes are not an adoption request.</exception>
    public static UwsgiPacketHeader ReadHeader(ReadOnlySpan<byte> head)
        => UwsgiPacketHeader.TryRead(head, out var header) && header.Modifier1 == ForkServerRequest.Modifier1
            ? header
            : throw new WireFormatException($"not an adoption request: modifier1 {head[0]} (expected {ForkServerRequest.Modifier1})");

    /// <summary>
    /// The request from its whole header and body and the fds that came with them, checked against its mask; the
    /// result owns the fds. On an error the caller still owns (and closes) <paramref name="fds"/>.
    /// </summary>
    /// <exception cref="WireFormatException">The body is not an adoption request, or the fds do not match its mask.</exception>
    public static HandedRequest Complete(ReadOnlySpan<byte> head, byte[] body, List<int> fds, bool withLeading)
    {
        int leading = withLeading ? 1 : 0;
        var request = ForkServerRequest.Decode(ReadHeader(head), body);
        if (fds.Count != leading + request.FdCount)
        {
            throw new WireFormatException($"the request's mask {request.Mask} announces {request.FdCount} fd(s) but {fds.Count - leading} came");
        }

        var own = fds.GetRange(leading, request.FdCount);
        return new HandedRequest(withLeading ? new FileDescriptor(fds[0]) : null, request, own);
    }

    /// <summary>
    /// For a process that idles on its channel until it is needed (a spare vassal, a spare worker): waits, for as
    /// long as it takes, for the first byte, then reads the request as <see cref="Receive"/> does.
    /// </summary>
    /// <returns>The request, or null when the peer closed the channel instead: it will never need this process.</returns>
    public static HandedRequest? Await(int socket, TimeSpan timeout)
        => FdPassing.WaitForData(socket) ? Receive(socket, timeout, withLeading: true) : null;

    /// <summary>In the spare worker: gives the master the socket it listens on, which makes it worker 1.</summary>
    /// <exception cref="PosixException">The master is gone.</exception>
    public static void SendListener(int socket, int listener, long deadline)
        => FdPassing.Send(socket, [1], [listener], deadline);

    /// <summary>In the master: the spare worker's listening socket, or null when it ended instead or did not send it in time.</summary>
    public static ListeningSocket? ReceiveListener(int socket, ListenerProtocol protocol, long deadline)
    {
        var fds = new List<int>();
        Span<byte> ok = stackalloc byte[1];
        try
        {
            FdPassing.ReceiveExactly(socket, ok, fds, deadline);
            if (fds.Count == 1)
            {
                return ListeningSocket.FromFd(fds[0], protocol);
            }
        }
        catch (Exception e) when (e is TimeoutException or EndOfStreamException or PosixException or FdPassingException)
        {
            // Falls through: the master starts without it.
        }

        Descriptors.CloseAll(fds);
        return null;
    }
}
