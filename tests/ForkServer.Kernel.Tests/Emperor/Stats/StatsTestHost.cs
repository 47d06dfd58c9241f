using System.Collections.Concurrent;
using System.Net.Sockets;
using ForkServer.Kernel.Emperor.Stats;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Tests.Http;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Emperor.Stats;

/// <summary>
/// Runs an <see cref="EmperorStatsServer"/> in an <see cref="EventLoop"/> on its own thread, as the Emperor
/// would, with an eventfd through which tests run code on that thread (and stop it).
/// </summary>
internal sealed unsafe class StatsTestHost : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly EventLoop _loop = new();
    private readonly int _wakeFd;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly Thread _thread;
    private bool _stopping;

    public StatsTestHost(string address, bool statsHttp, Func<EmperorStatsSnapshot>? snapshot = null)
    {
        Server = new EmperorStatsServer(_loop, address, statsHttp, snapshot ?? StatsSamples.TwoVassalsOneBlacklisted, Logger);
        Server.Start();
        _wakeFd = PosixException.ThrowIfFailed(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
        _loop.Add(_wakeFd, EventLoop.Readable, OnWake);
        _thread = new Thread(Run) { IsBackground = true, Name = "stats-test-emperor" };
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
    public T OnLoop<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                done.SetResult(action());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task.WaitAsync(Timeout).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Post(() => _stopping = true);
        bool stopped = _thread.Join(Timeout);
        if (stopped)
        {
            Server.Dispose();
            _loop.Dispose();
        }

        close(_wakeFd);
        Assert.True(stopped, "the loop thread did not stop");
    }

    private void Post(Action action)
    {
        _posted.Enqueue(action);
        ulong one = 1;
        PosixException.ThrowIfFailed((long)write(_wakeFd, &one, sizeof(ulong)), "write eventfd");
    }

    private void OnWake(int events)
    {
        ulong count;
        read(_wakeFd, &count, sizeof(ulong));
        while (_posted.TryDequeue(out var action))
        {
            action();
        }
    }

    private void Run()
    {
        while (!_stopping)
        {
            _loop.RunOnce(-1);
        }
    }
}
