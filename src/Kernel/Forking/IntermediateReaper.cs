using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Forking;

/// <summary>
/// Reaps, from an <see cref="EventLoop"/>, the intermediate children of
/// <see cref="ProcessForker.ForkDetachedUnwaited"/>: logs one whose second fork failed, and kills one still alive
/// <see cref="ProcessForker.HandOffTimeout"/> after it was forked (an intermediate only forks and exits, so that
/// one is stuck, and every forked process must report in time or be killed).
/// </summary>
internal sealed partial class IntermediateReaper(EventLoop loop, ILogger logger) : IDisposable
{
    private readonly Dictionary<int, Intermediate> _pending = new();

    /// <summary>No intermediate is waiting to be reaped.</summary>
    public bool IsEmpty => _pending.Count == 0;

    /// <summary>Starts watching intermediate <paramref name="pid"/>, forked for <paramref name="what"/> (for the logs).</summary>
    public void Watch(int pid, string what)
    {
        var intermediate = new Intermediate(ProcessHandle.Open(pid), what, Environment.TickCount64 + (long)ProcessForker.HandOffTimeout.TotalMilliseconds);
        _pending.Add(pid, intermediate);
        loop.Add(intermediate.Handle.Fd, EventLoop.Readable, _ => OnExited(intermediate));
    }

    /// <summary>Milliseconds until the next intermediate is overdue (0 if one is), or -1 when none is pending.</summary>
    public int NextTimeoutMs()
    {
        long next = long.MaxValue;
        foreach (var intermediate in _pending.Values)
        {
            if (!intermediate.Killed)
            {
                next = Math.Min(next, intermediate.KillAt);
            }
        }

        return next == long.MaxValue ? -1 : (int)Math.Clamp(next - Environment.TickCount64, 0, int.MaxValue);
    }

    /// <summary>Kills the intermediates that are overdue; their exit is then reaped like any other.</summary>
    public void EnforceDeadlines()
    {
        long now = Environment.TickCount64;
        foreach (var intermediate in _pending.Values)
        {
            if (!intermediate.Killed && now >= intermediate.KillAt)
            {
                Log.Stuck(logger, intermediate.Handle.Pid, intermediate.What, ProcessForker.HandOffTimeout.TotalSeconds);
                intermediate.Handle.Signal(Signals.SIGKILL);
                intermediate.Killed = true;
            }
        }
    }

    /// <summary>Before the process exits: waits for (and if need be kills) every pending intermediate, so none is left a zombie for the subreaper.</summary>
    public void ReapAll()
    {
        foreach (var intermediate in _pending.Values.ToList())
        {
            long remainingMs = Math.Max(0, intermediate.KillAt - Environment.TickCount64);
            if (intermediate.Handle.WaitForExit(TimeSpan.FromMilliseconds(remainingMs)) is null)
            {
                intermediate.Handle.Signal(Signals.SIGKILL);
                intermediate.Handle.WaitForExit(ProcessForker.HandOffTimeout);
            }

            Forget(intermediate);
        }
    }

    /// <summary>Closes the pidfds without reaping: what a forked child does with its parent's reaper.</summary>
    public void Dispose()
    {
        foreach (var intermediate in _pending.Values)
        {
            intermediate.Handle.Dispose();
        }

        _pending.Clear();
    }

    private void OnExited(Intermediate intermediate)
    {
        if (!intermediate.Handle.TryReap(out var status))
        {
            return;
        }

        if (status.ExitCode != 0)
        {
            Log.SecondForkFailed(logger, intermediate.What, intermediate.Handle.Pid, status);
        }

        Forget(intermediate);
    }

    private void Forget(Intermediate intermediate)
    {
        loop.Remove(intermediate.Handle.Fd);
        _pending.Remove(intermediate.Handle.Pid);
        intermediate.Handle.Dispose();
    }

    // A class: the dictionary then runs the framework's precompiled code for reference types (tiered compilation
    // is off, and an instantiation over a value type would be JIT-compiled, in the base and in each child).
    private sealed class Intermediate(ProcessHandle handle, string what, long killAt)
    {
        public ProcessHandle Handle { get; } = handle;

        public string What { get; } = what;

        public long KillAt { get; } = killAt;

        public bool Killed { get; set; }
    }
}
