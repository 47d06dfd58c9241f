using System.Net.Sockets;
using ForkServer.Kernel.Emperor.Stats;
using ForkServer.Kernel.Tests.Http;
using ForkServer.Kernel.Tests.Support;

namespace ForkServer.Kernel.Tests.Emperor.Stats;

/// <summary>
/// Runs an <see cref="EmperorStatsServer"/> in an <see cref="EventLoop"/> on its own thread, as the Emperor
/// would, with an eventfd through which tests run code on that thread (and stop it).
/// </summary>
internal sealed class StatsTestHost : IDisposable
{
    public static readonly TimeSpan Timeout = EventLoopThread.Timeout;

    private readonly EventLoopThread _thread = new("stats-test-emperor");

    public StatsTestHost(string address, bool statsHttp, Func<EmperorStatsSnapshot>? snapshot = null)
    {
        Server = new EmperorStatsServer(_thread.Loop, address, statsHttp, snapshot ?? StatsSamples.TwoVassalsOneBlacklisted, Logger);
        Server.Start();
        _thread.Start();
    }

    public EmperorStatsServer Server { get; }

    public RecordingLogger Logger { get; } = new();

    /// <summary>A connected client socket with bounded send and receive timeouts.</summary>
    public Socket Connect()
    {
        Socket socket;
        if (Server.Port != 0)
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Server.Port));
        }
        else
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(Server.Address));
        }

        socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        socket.SendTimeout = (int)Timeout.TotalMilliseconds;
        return socket;
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread and waits for its result.</summary>
    public T OnLoop<T>(Func<T> action) => _thread.Invoke(action);

    public void Dispose()
    {
        bool stopped = _thread.Stop();
        if (stopped)
        {
            Server.Dispose();
        }

        Assert.True(stopped, "the loop thread did not stop");
    }
}
