using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Adoption;

internal sealed partial class ForkServerBase
{
    // The Emperor's connection and the request while it is handed over: a spare forked for it then inherits them,
    // and must close them (it gets its own copies by SCM_RIGHTS).
    private FileDescriptor? _connectionInFlight;
    private HandedRequest? _requestInFlight;

    private unsafe void OnConnection(UnixListeningSocket listener, SpareSupply spares, TimeSpan timeout)
    {
        if (SocketAccept.Next(listener.Fd, null, out int accepted, out int errno) != AcceptOutcome.Accepted)
        {
            if (errno != 0)
            {
                Log.AcceptFailed(_log, errno);
            }

            return;
        }

        using var connection = new FileDescriptor(accepted);
        try
        {
            Adopt(connection, spares, timeout);
        }
        catch (Exception e) when (e is WireFormatException or TimeoutException or IOException or PosixException or FdPassingException or UnauthorizedAccessException)
        {
            // IOException: the Emperor's end of stream, or no spare could be forked for the request.
            Log.RequestRefused(_log, e.Message);
        }
    }

    /// <summary>
    /// Checks who asks, reads the request and hands it, with <paramref name="connection"/>, to the spare, which
    /// answers the Emperor itself; the base keeps none of it.
    /// </summary>
    private void Adopt(FileDescriptor connection, SpareSupply spares, TimeSpan timeout)
    {
        var peer = PeerCredentials.Of(connection.Fd);
        uint own = ProcessCalls.GetUid();
        if (peer.Uid != 0 && peer.Uid != own)
        {
            throw new UnauthorizedAccessException($"connection from pid {peer.Pid} uid {peer.Uid}: only root or uid {own} may adopt");
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        using var request = AdoptionChannel.Receive(connection.Fd, timeout, withLeading: false);
        Log.Adopting(_log, string.Join(' ', request.Request.Argv), peer.Pid, request.Request.FdCount);
        _connectionInFlight = connection;
        _requestInFlight = request;
        try
        {
            spares.HandOver(connection.Fd, request, deadline);
        }
        finally
        {
            _connectionInFlight = null;
            _requestInFlight = null;
        }
    }
}
