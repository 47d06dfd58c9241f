using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// The Emperor ↔ vassal control channel (docs/protocol.md#the-emperor-pipe): a stream socketpair carrying one-byte
/// messages. Both ends are close-on-exec; the vassal end reaches the child only through
/// <see cref="SpawnRequest.InheritedFds"/>, and the Emperor closes its copy once the child is spawned so that the
/// child's exit shows as EOF on its end.
/// </summary>
internal sealed class ControlSocketPair : IDisposable
{
    private ControlSocketPair(int emperorEnd, int vassalEnd)
    {
        EmperorEnd = emperorEnd;
        VassalEnd = vassalEnd;
    }

    /// <summary>The Emperor's end, non-blocking (it is read from an event loop); -1 once disposed.</summary>
    public int EmperorEnd { get; private set; }

    /// <summary>The end the vassal inherits; -1 once closed here.</summary>
    public int VassalEnd { get; private set; }

    /// <summary>socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC) with the Emperor end made non-blocking.</summary>
    public static ControlSocketPair Create()
    {
        var (emperorEnd, vassalEnd) = StreamSocketPair.Create("a control channel");
        var pair = new ControlSocketPair(emperorEnd, vassalEnd);
        try
        {
            // Only the Emperor's end: a vassal (uWSGI) reads its end blocking, and O_NONBLOCK is shared by every copy.
            int flags = PosixException.ThrowIfFailed(fcntl(pair.EmperorEnd, F_GETFL), $"fcntl(F_GETFL) on control fd {pair.EmperorEnd}");
            PosixException.ThrowIfFailed(fcntl(pair.EmperorEnd, F_SETFL, flags | O_NONBLOCK), $"fcntl(F_SETFL, O_NONBLOCK) on control fd {pair.EmperorEnd}");
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    /// <summary>Closes this process's copy of the vassal end; call it once the vassal is spawned.</summary>
    public void CloseVassalEnd()
    {
        Close(VassalEnd, "vassal");
        VassalEnd = -1;
    }

    public void Dispose()
    {
        CloseVassalEnd();
        Close(EmperorEnd, "Emperor");
        EmperorEnd = -1;
    }

    private static void Close(int fd, string end)
    {
        // On Linux close releases the fd even when it reports EINTR, so retrying could close someone else's fd.
        if (fd < 0 || close(fd) == 0)
        {
            return;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno != EINTR)
        {
            throw new PosixException($"close of the {end} end (fd {fd}) of a control channel", errno);
        }
    }
}
