using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// A once-a-second <see cref="TimerFd"/> in an <see cref="EventLoop"/>. The stats server runs it only while it has
/// connections to expire, so an idle Emperor is not woken for nothing.
/// </summary>
internal sealed class SweepTimer : IDisposable
{
    private const int IntervalSeconds = 1;

    private readonly EventLoop _loop;
    private readonly Action _onTick;
    private readonly TimerFd _timer = new();
    private bool _running;

    public SweepTimer(EventLoop loop, Action onTick)
    {
        _loop = loop;
        _onTick = onTick;
        try
        {
            _loop.Add(_timer.Fd, EventLoop.Readable, OnReady);
        }
        catch
        {
            _timer.Dispose();
            throw;
        }
    }

    /// <summary>Starts ticking every second; does nothing when already running.</summary>
    public void Run()
    {
        if (!_running)
        {
            _timer.Arm(IntervalSeconds);
            _running = true;
        }
    }

    /// <summary>Stops ticking.</summary>
    public void Stop()
    {
        if (_running)
        {
            _timer.Arm(0);
            _running = false;
        }
    }

    public void Dispose()
    {
        if (_timer.Fd >= 0)
        {
            _loop.Remove(_timer.Fd);
            _timer.Dispose();
        }
    }

    private void OnReady(int events)
    {
        if (_timer.TryConsume())
        {
            _onTick();
        }
    }
}
