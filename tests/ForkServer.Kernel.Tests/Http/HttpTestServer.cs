using System.Collections.Concurrent;
using ForkServer.Abstractions;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>
/// Runs an <see cref="HttpServerLoop"/> on a dedicated thread the way a worker does, with an eventfd in the
/// same loop through which tests run code on that thread (and stop it).
/// </summary>
internal sealed unsafe class HttpTestServer : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly EventLoop _loop = new();
    private readonly int _wakeFd;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly Thread _thread;
    private bool _stopping;
    private int _requestsCompleted;

    public HttpTestServer(Action<IRequest, IResponse> handle, HttpLimits? limits = null)
    {
        Listener = ListeningSocket.BindTcp("127.0.0.1:0", 128);
        Http = new HttpServerLoop(_loop, Listener, new DelegateRequestHandler(handle), limits ?? new HttpLimits(), Logger)
        {
            RequestCompleted = () => Interlocked.Increment(ref _requestsCompleted),
        };
        _wakeFd = PosixException.ThrowIfFailed(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
        _loop.Add(_wakeFd, EventLoop.Readable, OnWake);
        Http.Start();
        _thread = new Thread(Run) { IsBackground = true, Name = "http-test-worker" };
        _thread.Start();
    }

    public ListeningSocket Listener { get; }

    public HttpServerLoop Http { get; }

    public RecordingLogger Logger { get; } = new();

    public int Port => Listener.Port;

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public int RequestsCompleted => Volatile.Read(ref _requestsCompleted);

    /// <summary>Runs <paramref name="action"/> on the server thread and waits for its result.</summary>
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

    public RawHttpClient ConnectRaw() => new(Port);

    public HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1,
        RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1,
    })
    {
        BaseAddress = BaseUri,
        Timeout = Timeout,
    };

    public void Dispose()
    {
        Post(() => _stopping = true);
        bool stopped = _thread.Join(Timeout);
        if (stopped)
        {
            _loop.Dispose();
        }

        Listener.Dispose();
        close(_wakeFd);
        Assert.True(stopped, "the server thread did not stop");
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
            _loop.RunOnce(1000);
            Http.ExpireIdleConnections();
        }

        Http.CloseAll();
    }
}
