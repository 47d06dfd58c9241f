using ForkServer.Abstractions;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Tests.Support;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>
/// Runs an <see cref="HttpServerLoop"/> on a dedicated thread the way a worker does, with an eventfd in the
/// same loop through which tests run code on that thread (and stop it).
/// </summary>
internal sealed class HttpTestServer : IDisposable
{
    private static readonly TimeSpan Timeout = EventLoopThread.Timeout;

    private readonly EventLoopThread _thread;
    private int _requestsCompleted;

    public HttpTestServer(Action<IRequest, IResponse> handle, HttpLimits? limits = null)
    {
        _thread = new EventLoopThread("http-test-worker", afterEachTurn: () => Http!.ExpireIdleConnections(), onStop: () => Http!.CloseAll());
        Listener = ListeningSocket.BindTcp("127.0.0.1:0", 128);
        Http = new HttpServerLoop(_thread.Loop, Listener, new DelegateRequestHandler(handle), limits ?? new HttpLimits(), Logger)
        {
            RequestCompleted = () => Interlocked.Increment(ref _requestsCompleted),
        };
        Http.Start();
        _thread.Start();
    }

    public ListeningSocket Listener { get; }

    public HttpServerLoop Http { get; }

    public RecordingLogger Logger { get; } = new();

    public int Port => Listener.Port;

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public int RequestsCompleted => Volatile.Read(ref _requestsCompleted);

    /// <summary>Runs <paramref name="action"/> on the server thread and waits for its result.</summary>
    public T OnLoop<T>(Func<T> action) => _thread.Invoke(action);

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
        bool stopped = _thread.Stop();
        Listener.Dispose();
        Assert.True(stopped, "the server thread did not stop");
    }
}
