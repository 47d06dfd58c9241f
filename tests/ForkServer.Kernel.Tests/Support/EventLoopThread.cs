using System.Collections.Concurrent;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Support;

/// <summary>
/// Runs an <see cref="EventLoop"/> on a dedicated thread, as a worker or the Emperor runs theirs, with an eventfd
/// in the same loop through which tests run code on that thread and stop it. Every wait is bounded.
/// </summary>
internal sealed unsafe class EventLoopThread : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly int _wakeFd;
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly Thread _thread;
    private readonly Action? _afterEachTurn;
    private readonly Action? _onStop;
    private bool _stopping;

    /// <param name="name">The thread's name.</param>
    /// <param name="afterEachTurn">Runs on the loop thread after every turn (at least once a second).</param>
    /// <param name="onStop">Runs on the loop thread when it stops, before the thread ends.</param>
    public EventLoopThread(string name, Action? afterEachTurn = null, Action? onStop = null)
    {
        _afterEachTurn = afterEachTurn;
        _onStop = onStop;
        _wakeFd = PosixException.ThrowIfFailed(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
        Loop.Add(_wakeFd, EventLoop.Readable, OnWake);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    public EventLoop Loop { get; } = new();

    /// <summary>Starts the thread (after the caller registered its fds).</summary>
    public void Start() => _thread.Start();

    /// <summary>Runs <paramref name="action"/> on the loop thread and waits for its result.</summary>
    public T Invoke<T>(Func<T> action)
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

    /// <summary>Stops the thread; true when it ended in time (the loop is disposed only then).</summary>
    public bool Stop()
    {
        Post(() => _stopping = true);
        bool stopped = _thread.Join(Timeout);
        if (stopped)
        {
            Loop.Dispose();
        }

        close(_wakeFd);
        return stopped;
    }

    public void Dispose() => Assert.True(Stop(), "the loop thread did not stop");

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
            Loop.RunOnce(1000);
            _afterEachTurn?.Invoke();
        }

        _onStop?.Invoke();
    }
}
