using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Carries the bound HTTP socket across a reload, so the kernel queues connections while the new process starts
/// instead of refusing them: across a classic vassal's re-exec (an environment variable names the fd), or from an
/// adopted vassal that exited to the one adopted after it (the Emperor kept the socket and passed it as the
/// on-demand socket). The new process takes it over only if its config still asks for that address; otherwise it
/// closes it and binds what the new config says.
/// </summary>
internal static partial class ListenerHandOver
{
    private const string Variable = "FORKSERVER_HTTP_SOCKET";

    /// <summary>Prepares <paramref name="listener"/> for the re-exec; returns the variable that tells the new image about it.</summary>
    public static KeyValuePair<string, string> Prepare(ListeningSocket listener, VassalSocket socket)
    {
        listener.KeepAcrossExec();
        return new(Variable, $"{listener.Fd}:{socket.Address}");
    }

    /// <summary>The socket the previous image handed over for <paramref name="socket"/>'s address, or null.</summary>
    public static ListeningSocket? Take(VassalSocket socket)
    {
        string spec = socket.Address;
        string? handedOver = ProcessImage.ConsumeVariable(Variable);
        if (handedOver is null || handedOver.Split(':', 2) is not [var fdText, var previousSpec] || !int.TryParse(fdText, out int fd))
        {
            return null;
        }

        if (previousSpec == spec)
        {
            return ListeningSocket.FromFd(fd, socket.Protocol);
        }

        Descriptors.Close(fd);
        return null;
    }

    /// <summary>
    /// The on-demand socket <paramref name="onDemand"/> the Emperor passed, if it listens where <paramref name="socket"/>
    /// asks (port 0 takes the port it has; a Unix-domain socket, the same path); otherwise it is closed and null is returned.
    /// </summary>
    public static ListeningSocket? TakeInherited(FileDescriptor onDemand, VassalSocket socket, ILogger log)
    {
        string spec = socket.Address;
        int fd = onDemand.Fd;
        ListeningSocket inherited;
        try
        {
            inherited = ListeningSocket.FromFd(fd, socket.Protocol);
        }
        catch (PosixException e)
        {
            Log.OnDemandUnusable(log, fd, e.Message, spec);
            onDemand.Dispose();
            return null;
        }

        // The listening socket owns the descriptor now.
        onDemand.Release();
        if (ListensAt(inherited, socket))
        {
            Log.TookOnDemand(log, inherited.Endpoint);
            return inherited;
        }

        Log.OnDemandElsewhere(log, spec, inherited.Endpoint);
        inherited.Dispose();
        return null;
    }

    private static bool ListensAt(ListeningSocket inherited, VassalSocket socket)
    {
        if (socket.IsUnix || inherited.UnixPath is not null)
        {
            return inherited.UnixPath == socket.Address;
        }

        var wanted = SocketEndpoint.Parse(socket.Address);
        return wanted.Address.Equals(inherited.Local.Address) && (wanted.Port == 0 || wanted.Port == inherited.Local.Port);
    }
}
