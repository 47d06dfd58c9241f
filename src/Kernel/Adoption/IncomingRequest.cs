using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// A connection the base accepted from a peer allowed to adopt, whose request is read as it arrives, from the base's
/// event loop: the base reads several at once, each bound by its own <see cref="Deadline"/>, so a silent or slow peer
/// holds up nobody else. It owns the connection and every fd received so far.
/// </summary>
internal sealed class IncomingRequest : IDisposable
{
    private readonly byte[] _head = new byte[UwsgiPacketHeader.Length];
    private readonly List<int> _fds = new();
    private byte[]? _body;
    private int _received;

    public IncomingRequest(FileDescriptor connection, PeerCredentials peer, long deadline)
    {
        Connection = connection;
        Peer = peer;
        Deadline = deadline;
    }

    /// <summary>The Emperor's connection: the spare sends the pid reply on it.</summary>
    public FileDescriptor Connection { get; }

    public PeerCredentials Peer { get; }

    /// <summary>When the whole request must have arrived (<see cref="Environment.TickCount64"/> ms).</summary>
    public long Deadline { get; }

    /// <summary>Reads what has arrived, without waiting.</summary>
    /// <returns>The whole request, which then owns its fds; null while more is to come.</returns>
    /// <exception cref="WireFormatException">The bytes are not an adoption request, or the fds do not match its mask.</exception>
    /// <exception cref="EndOfStreamException">The peer closed in the middle of the request.</exception>
    /// <exception cref="FdPassingException">The peer passed more fds at once than a request carries.</exception>
    /// <exception cref="PosixException">recvmsg failed.</exception>
    public HandedRequest? ReadAvailable()
    {
        while (true)
        {
            var rest = _body is null ? _head.AsSpan(_received) : _body.AsSpan(_received);
            if (rest.IsEmpty)
            {
                if (_body is null)
                {
                    _body = new byte[AdoptionChannel.ReadHeader(_head).Size];
                    _received = 0;
                    continue;
                }

                var request = AdoptionChannel.Complete(_head, _body, _fds, withLeading: false);
                _fds.Clear();
                return request;
            }

            int count = FdPassing.ReceiveAvailable(Connection.Fd, rest, _fds);
            if (count < 0)
            {
                return null;
            }

            if (count == 0)
            {
                throw new EndOfStreamException($"the peer closed the connection after {_received} byte(s) of the request's {(_body is null ? "header" : "body")}");
            }

            _received += count;
            if (_fds.Count > FdPassing.ReceiveCapacity)
            {
                throw new FdPassingException($"the peer passed {_fds.Count} fds with one request (a request carries 1 to 3)");
            }
        }
    }

    /// <summary>Closes the connection and the fds received with an unfinished request.</summary>
    public void Dispose()
    {
        Connection.Dispose();
        Descriptors.CloseAll(_fds);
        _fds.Clear();
    }
}
