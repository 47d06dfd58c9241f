using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Emperor;

/// <summary>
/// The Emperor's side of one fork-server session (docs/protocol.md#fork-server-session): one connection, one request
/// carrying the vassal's end of its control socket, one <c>{pid}</c> reply. The socket is non-blocking throughout: the
/// reply is read as it arrives, and <see cref="Deadline"/> bounds the wait (uWSGI's Emperor blocked for ever there, D1
/// in docs/uwsgi-defects.md).
/// </summary>
internal sealed class AdoptionSession : IDisposable
{
    private const int MaxReplyLength = UwsgiPacketHeader.Length + UwsgiPacketHeader.MaxBodySize;

    // A {pid} reply is about 16 bytes: the buffer grows only for a larger packet, instead of allocating (and
    // touching) 64 KB on the Emperor's loop for every adoption.
    private byte[] _reply = new byte[64];
    private int _received;

    private AdoptionSession(int fd, long deadline)
    {
        Fd = fd;
        Deadline = deadline;
    }

    public int Fd { get; private set; }

    /// <summary>When the reply must have arrived (<see cref="Environment.TickCount64"/>).</summary>
    public long Deadline { get; }

    /// <summary>
    /// Connects and sends the request; null when the fork server is not listening (yet), or its backlog is full.
    /// </summary>
    /// <param name="socketPath">The fork server's socket (<c>@name</c> for an abstract one).</param>
    /// <param name="argv">The vassal's arguments.</param>
    /// <param name="controlFd">The vassal's end of its control socket.</param>
    /// <param name="onDemandFd">A listening socket for the vassal (mask 0x04), or -1.</param>
    /// <param name="timeout">How long the whole session may take (<c>socket-timeout</c>).</param>
    /// <param name="backlogFull">
    /// Whether a null return means a full backlog (someone listens, worth trying again soon) rather than nobody
    /// listening (wait for the base's ready report).
    /// </param>
    public static AdoptionSession? Begin(string socketPath, IReadOnlyList<string> argv, int controlFd, int onDemandFd, TimeSpan timeout, out bool backlogFull)
    {
        backlogFull = false;
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var mask = onDemandFd >= 0 ? ForkServerFdMask.Control | ForkServerFdMask.OnDemand : ForkServerFdMask.Control;
        byte[] request = ForkServerRequest.Encode(argv, mask);
        switch (UnixSocketAddress.TryConnect(socketPath, "the fork server", out int fd, out int errno))
        {
            case ConnectOutcome.NotListening:
                return null;
            case ConnectOutcome.BacklogFull:
                backlogFull = true;
                return null;
            case ConnectOutcome.Failed:
                throw new PosixException($"connect to fork server '{socketPath}'", errno);
        }

        // Closed here if the send fails; the session takes it otherwise.
        using var connection = new FileDescriptor(fd);
        FdPassing.Send(fd, request, onDemandFd >= 0 ? [controlFd, onDemandFd] : [controlFd], deadline);
        return new AdoptionSession(connection.Release(), deadline);
    }

    /// <summary>Reads what arrived; the adopted pid once the whole reply is in, null while more is to come.</summary>
    /// <exception cref="EndOfStreamException">The fork server closed the connection before a whole reply.</exception>
    /// <exception cref="WireFormatException">The reply is not a <c>{pid}</c> packet.</exception>
    public int? ReadReply()
    {
        while (true)
        {
            if (_received == _reply.Length && _reply.Length < MaxReplyLength)
            {
                Array.Resize(ref _reply, Math.Min(_reply.Length * 16, MaxReplyLength));
            }

            switch (SocketIo.Receive(Fd, _reply.AsSpan(_received), out int n, out int errno))
            {
                case IoOutcome.Transferred:
                    _received += n;
                    break;
                case IoOutcome.WouldBlock:
                    return Complete();
                case IoOutcome.EndOfStream:
                    return Complete() ?? throw new EndOfStreamException($"the fork server closed the connection after {_received} byte(s) of its reply");
                default:
                    throw new PosixException("reading the fork server's reply", errno);
            }
        }
    }

    public void Dispose()
    {
        if (Fd >= 0)
        {
            Descriptors.Close(Fd);
            Fd = -1;
        }
    }

    private int? Complete()
    {
        if (!UwsgiPacketHeader.TryRead(_reply.AsSpan(0, _received), out var header)
            || _received < UwsgiPacketHeader.Length + header.Size)
        {
            return null;
        }

        return ForkServerReply.Decode(header, _reply.AsSpan(UwsgiPacketHeader.Length, header.Size));
    }
}
