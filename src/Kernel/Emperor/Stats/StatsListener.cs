using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// The stats socket: TCP when the address holds a ':' (<c>127.0.0.1:9191</c>), else a unix socket path, with
/// a leading <c>@</c> for Linux's abstract namespace. Non-blocking and close-on-exec, so vassals never inherit it.
/// </summary>
internal sealed class StatsListener : IDisposable
{
    private const int Backlog = 64;

    private readonly ListeningSocket? _tcp;
    private readonly UnixListeningSocket? _unix;

    private StatsListener(ListeningSocket tcp)
    {
        _tcp = tcp;
        Fd = tcp.Fd;
        Address = tcp.Endpoint;
        Port = tcp.Port;
    }

    private StatsListener(UnixListeningSocket unix)
    {
        _unix = unix;
        Fd = unix.Fd;
        Address = unix.Path;
    }

    /// <summary>The listening fd.</summary>
    public int Fd { get; }

    /// <summary>The bound endpoint (<c>127.0.0.1:40123</c>) or the unix socket path.</summary>
    public string Address { get; }

    /// <summary>The bound TCP port (the real one when 0 was asked for); 0 for a unix socket.</summary>
    public int Port { get; }

    /// <summary>Binds and listens on <paramref name="address"/>.</summary>
    /// <exception cref="PosixException">The address cannot be bound; the message names it.</exception>
    /// <exception cref="FormatException">A TCP address is not <c>ip:port</c>.</exception>
    /// <exception cref="ArgumentException">A unix socket path does not fit in sun_path.</exception>
    public static StatsListener Bind(string address)
        => address.Contains(':')
            ? new StatsListener(ListeningSocket.BindTcp(address, Backlog))

            // Stats reveal pids, paths and uids of every vassal: the socket keeps its default mode 0600.
            : new StatsListener(UnixListeningSocket.Bind(address, Backlog));

    public void Dispose()
    {
        _tcp?.Dispose();
        try
        {
            _unix?.Dispose();
        }
        catch (PosixException)
        {
            // Best effort: the next start unlinks a leftover socket anyway.
        }
    }
}
