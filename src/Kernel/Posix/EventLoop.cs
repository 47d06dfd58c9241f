using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// A single-threaded epoll loop: each watched fd has one callback, run on the thread that calls
/// <see cref="RunOnce"/>. Masters and workers use it instead of async I/O because a process that forks must
/// not have thread-pool or socket-engine threads.
/// </summary>
internal sealed unsafe class EventLoop : IDisposable
{
    private readonly int _epollFd;
    private readonly Dictionary<int, Action<int>> _handlers = new();

    // The fd whose callback runs before the others of the same wakeup, or -1 (see AddFirst).
    private int _firstFd = -1;

    public EventLoop()
    {
        _epollFd = PosixException.ThrowIfFailed(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
    }

    /// <summary>The epoll descriptor.</summary>
    public int Fd => _epollFd;

    /// <summary>Readable (EPOLLIN).</summary>
    public static int Readable => EPOLLIN;

    /// <summary>Writable (EPOLLOUT).</summary>
    public static int Writable => EPOLLOUT;

    /// <summary>
    /// With <see cref="Readable"/>, on an fd several processes' loops watch (a listener their workers share): each
    /// event wakes one of them, not all (EPOLLEXCLUSIVE).
    /// </summary>
    public static int Exclusive => EPOLLEXCLUSIVE;

    /// <summary>Starts watching <paramref name="fd"/>; the callback gets the ready event mask.</summary>
    public void Add(int fd, int events, Action<int> onReady)
    {
        Control(EPOLL_CTL_ADD, fd, events);
        _handlers[fd] = onReady;
    }

    /// <summary>
    /// Like <see cref="Add"/>, and when <paramref name="fd"/> is ready its callback runs before those of every other
    /// fd ready at the same wakeup (one such fd per loop). A worker's signalfd: a stop must be seen before the shared
    /// listener, or the worker would accept connections meant for its successor.
    /// </summary>
    public void AddFirst(int fd, int events, Action<int> onReady)
    {
        Add(fd, events, onReady);
        _firstFd = fd;
    }

    /// <summary>Changes the events watched on <paramref name="fd"/>.</summary>
    public void Modify(int fd, int events) => Control(EPOLL_CTL_MOD, fd, events);

    /// <summary>Stops watching <paramref name="fd"/> (call before closing it).</summary>
    public void Remove(int fd)
    {
        if (_firstFd == fd)
        {
            _firstFd = -1;
        }

        if (_handlers.Remove(fd))
        {
            epoll_ctl(_epollFd, EPOLL_CTL_DEL, fd, null);
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1: forever) and runs the callbacks of ready fds.</summary>
    /// <returns>How many fds were ready.</returns>
    public int RunOnce(int timeoutMs)
    {
        const int MaxEvents = 64;
        epoll_event* events = stackalloc epoll_event[MaxEvents];
        int n = epoll_wait(_epollFd, events, MaxEvents, timeoutMs);
        if (n < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == EINTR ? 0 : throw new PosixException("epoll_wait", errno);
        }

        int first = -1;
        for (int i = 0; i < n && _firstFd >= 0; i++)
        {
            if (events[i].data.fd == _firstFd)
            {
                first = i;
                Dispatch(events[i]);
                break;
            }
        }

        for (int i = 0; i < n; i++)
        {
            if (i != first)
            {
                Dispatch(events[i]);
            }
        }

        return n;
    }

    public void Dispose() => Descriptors.Close(_epollFd);

    private void Dispatch(in epoll_event ready)
    {
        // A callback may have removed a later fd of the same batch: look it up again.
        if (_handlers.TryGetValue(ready.data.fd, out var handler))
        {
            handler(ready.events);
        }
    }

    private void Control(int op, int fd, int events)
    {
        epoll_event ev = default;
        ev.events = events;
        ev.data.fd = fd;
        PosixException.ThrowIfFailed(epoll_ctl(_epollFd, op, fd, &ev), $"epoll_ctl({op}, fd {fd})");
    }
}
