using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// The vassal's end of its Emperor's control socket (<c>UWSGI_EMPEROR_FD</c>): one-byte reports up, one-byte
/// commands down (docs/protocol.md#the-emperor-pipe). Only the master holds it: its workers run the application, which
/// could otherwise read the Emperor's commands first or report in the vassal's name; they close it right after their
/// fork and report to the master (<see cref="WorkerReports"/>), which passes on what the Emperor must know.
/// </summary>
internal sealed class EmperorLink : IDisposable
{
    /// <summary>The variable an Emperor sets to the fd number of the vassal's end.</summary>
    public const string FdVariable = "UWSGI_EMPEROR_FD";

    private EmperorLink(int fd)
    {
        Fd = fd;
    }

    public int Fd { get; private set; }

    /// <summary>The link named by <c>UWSGI_EMPEROR_FD</c>, or null when this vassal has no Emperor.</summary>
    /// <exception cref="StartupException">The variable does not name an open socket.</exception>
    public static EmperorLink? FromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(FdVariable);
        if (value is null)
        {
            return null;
        }

        if (!int.TryParse(value, out int fd) || !DescriptorFlags.IsOpen(fd))
        {
            throw new StartupException($"{FdVariable}={value} does not name an open file descriptor");
        }

        // Nothing this vassal runs (the app's own subprocesses) may inherit the Emperor's channel; a reload
        // re-exec hands it on explicitly (see KeepAcrossExec).
        DescriptorFlags.SetCloseOnExec(fd, closeOnExec: true, $"{FdVariable} {fd}");

        // What uWSGI's Emperor sets in its child before exec, which posix_spawn cannot: if the Emperor dies, the
        // vassal gets SIGTERM (a graceful stop) even before it notices the closed control socket. It survives
        // the reload re-exec. The Emperor is this process's parent here: it spawned it.
        ProcessCalls.SetParentDeathSignal(Signals.SIGTERM);
        return new EmperorLink(fd);
    }

    /// <summary>
    /// The link an adopted vassal received from the Emperor through its fork-server base (already close-on-exec:
    /// it came with MSG_CMSG_CLOEXEC). No parent-death signal: this process's creator is the base's short-lived
    /// intermediate child, whose exit would fire it at once; EOF on the link is how it learns the Emperor died.
    /// </summary>
    public static EmperorLink Adopt(int fd) => new(fd);

    /// <summary>Sends one report; a failure (the Emperor is gone) is returned, not thrown.</summary>
    public bool Report(VassalReport report) => SocketIo.TrySendByte(Fd, (byte)report);

    /// <summary>
    /// Passes <paramref name="listenerFd"/> to the Emperor (<see cref="VassalReport.ListenerHandOver"/>), which keeps
    /// it open for the vassal it adopts next. A failure (the Emperor is gone, or too slow) is returned, not thrown:
    /// the port then closes with this process, as it would have without the hand-over.
    /// </summary>
    public bool HandOver(int listenerFd)
    {
        byte[] report = [(byte)VassalReport.ListenerHandOver];
        try
        {
            FdPassing.Send(Fd, report, [listenerFd], Environment.TickCount64 + HandOverTimeoutMs);
            return true;
        }
        catch (Exception e) when (e is PosixException or TimeoutException)
        {
            return false;
        }
    }

    // The Emperor reads its control sockets whenever they are readable; a full buffer means it is gone or wedged.
    private const int HandOverTimeoutMs = 1000;

    /// <summary>Reads the commands that arrived; <paramref name="lost"/> is true when the Emperor closed its end.</summary>
    public IReadOnlyList<EmperorCommand> ReadCommands(out bool lost)
    {
        var commands = new List<EmperorCommand>();
        Span<byte> buffer = stackalloc byte[64];
        IoOutcome outcome;
        while ((outcome = SocketIo.Receive(Fd, buffer, out int n, out _)) == IoOutcome.Transferred)
        {
            for (int i = 0; i < n; i++)
            {
                commands.Add((EmperorCommand)buffer[i]);
            }
        }

        lost = outcome != IoOutcome.WouldBlock;
        return commands;
    }

    /// <summary>Clears close-on-exec so the link survives this process's reload re-exec.</summary>
    public void KeepAcrossExec() => DescriptorFlags.SetCloseOnExec(Fd, closeOnExec: false, $"the Emperor link {Fd}");

    public void Dispose()
    {
        if (Fd >= 0)
        {
            Descriptors.Close(Fd);
            Fd = -1;
        }
    }
}
