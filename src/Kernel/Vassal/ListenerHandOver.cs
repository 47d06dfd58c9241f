using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Carries the bound HTTP socket across a reload re-exec, so the kernel queues connections while the new image
/// starts instead of refusing them. The new image takes it over only if its config still asks for the same
/// <c>http-socket</c>; otherwise it closes it and binds what the new config says.
/// </summary>
internal static class ListenerHandOver
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

        close(fd);
        return null;
    }
}
