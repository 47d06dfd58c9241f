using ForkServer.Abstractions;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Adoption;

internal sealed partial class ForkServerBase
{
    private unsafe void OnConnection(UnixListeningSocket listener, IPreloadedApplication application, TimeSpan timeout, IntermediateReaper intermediates, Action releaseBase)
    {
        if (SocketAccept.Next(listener.Fd, null, out int connection, out int errno) != AcceptOutcome.Accepted)
        {
            if (errno != 0)
            {
                _log.LogError("fork server accept failed (errno {Errno})", errno);
            }

            return;
        }

        try
        {
            Adopt(connection, application, timeout, intermediates, releaseBase);
        }
        catch (Exception e) when (e is WireFormatException or TimeoutException or EndOfStreamException or PosixException or FdPassingException or UnauthorizedAccessException)
        {
            _log.LogError("adoption request refused: {Error}", e.Message);
        }
        finally
        {
            close(connection);
        }
    }

    private void Adopt(int connection, IPreloadedApplication application, TimeSpan timeout, IntermediateReaper intermediates, Action releaseBase)
    {
        var peer = PeerCredentials.Of(connection);
        if (peer.Uid != 0 && peer.Uid != getuid())
        {
            throw new UnauthorizedAccessException($"connection from pid {peer.Pid} uid {peer.Uid}: only root or uid {getuid()} may adopt");
        }

        var (request, fds) = AdoptionRequestReader.Read(connection, timeout);
        _log.LogInformation("adopting {Argv} for pid {Peer} ({Count} fd(s))", string.Join(' ', request.Argv), peer.Pid, fds.Count);
        application.PrepareForFork();
        try
        {
            // Not waiting for the second fork: the Emperor learns the pid from the grandchild itself, and the base
            // is free for the next request while the intermediate forks and exits.
            int intermediate = ProcessForker.ForkDetachedUnwaited(() =>
            {
                releaseBase();
                return new AdoptedVassal(connection, request, fds, application, configuration, logging, timeout).Run();
            });
            intermediates.Watch(intermediate, string.Join(' ', request.Argv));
        }
        finally
        {
            AdoptionRequestReader.Close(fds);
        }
    }
}
