using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// Reads one adoption request from the Emperor (docs/protocol.md#request and #reading-a-request): the 4-byte header,
/// with the fds attached to its first bytes, then the argv body; every read bounded by one deadline (D1 in
/// docs/uwsgi-defects.md: uWSGI's Emperor could block for ever here, we cannot).
/// </summary>
internal static class AdoptionRequestReader
{
    /// <summary>Reads the request; on any error every fd that arrived is closed before the exception leaves.</summary>
    /// <param name="connection">The socket the request comes on.</param>
    /// <param name="timeout">Bound on the whole read.</param>
    /// <param name="leadingFds">Fds expected before the request's own: a base handing a request to its spare sends
    /// the Emperor's connection first.</param>
    /// <exception cref="WireFormatException">The bytes are not an adoption request, or the fds do not match its mask.</exception>
    public static (ForkServerRequest Request, IReadOnlyList<int> Fds) Read(int connection, TimeSpan timeout, int leadingFds = 0)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var fds = new List<int>();
        try
        {
            Span<byte> head = stackalloc byte[UwsgiPacketHeader.Length];
            FdPassing.ReceiveExactly(connection, head, fds, deadline);
            if (!UwsgiPacketHeader.TryRead(head, out var header) || header.Modifier1 != ForkServerRequest.Modifier1)
            {
                throw new WireFormatException($"not an adoption request: modifier1 {head[0]} (expected {ForkServerRequest.Modifier1})");
            }

            byte[] body = new byte[header.Size];
            FdPassing.ReceiveExactly(connection, body, fds, deadline);
            var request = ForkServerRequest.Decode(header, body);
            if (fds.Count != leadingFds + request.FdCount)
            {
                throw new WireFormatException($"the request's mask {request.Mask} announces {request.FdCount} fd(s) but {fds.Count - leadingFds} came");
            }

            return (request, fds);
        }
        catch
        {
            FdPassing.CloseAll(fds);
            throw;
        }
    }
}
