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
    public static KeyValuePair<string, string> Prepare(ListeningSocket listener, string spec)
    {
        listener.KeepAcrossExec();
        return new(Variable, $"{listener.Fd}:{spec}");
    }

    /// <summary>The socket the previous image handed over for <paramref name="spec"/>, or null.</summary>
    public static ListeningSocket? Take(string spec)
    {
        string? handedOver = ProcessImage.ConsumeVariable(Variable);
        if (handedOver is null || handedOver.Split(':', 2) is not [var fdText, var previousSpec] || !int.TryParse(fdText, out int fd))
        {
            return null;
        }

        if (previousSpec == spec)
        {
            return ListeningSocket.FromFd(fd);
        }

        Descriptors.Close(fd);
        return null;
    }

    /// <summary>
    /// The on-demand socket <paramref name="onDemand"/> the Emperor passed, if it listens where <paramref name="spec"/>
    /// asks (port 0 takes the port it has); otherwise it is closed and null is returned.
    /// </summary>
    public static ListeningSocket? TakeInherited(FileDescriptor onDemand, string spec, ILogger log)
    {
        var wanted = SocketEndpoint.Parse(spec);
        int fd = onDemand.Fd;
        ListeningSocket inherited;
        try
        {
            inherited = ListeningSocket.FromFd(fd);
        }
        catch (PosixException e)
        {
            Log.OnDemandUnusable(log, fd, e.Message, spec);
            onDemand.Dispose();
            return null;
        }

        // The listening socket owns the descriptor now.
        onDemand.Release();
        if (wanted.Address.Equals(inherited.Local.Address) && (wanted.Port == 0 || wanted.Port == inherited.Local.Port))
        {
            Log.TookOnDemand(log, inherited.Endpoint);
            return inherited;
        }

        Log.OnDemandElsewhere(log, spec, inherited.Endpoint);
        inherited.Dispose();
        return null;
    }
}
