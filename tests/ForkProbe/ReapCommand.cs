using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkProbe;

/// <summary>Reaps forked children every way the kernel does: pidfd + waitid, waitpid(pid), after a signal, after a crash.</summary>
internal static class ReapCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static object Run()
    {
        // A child that waits forever is killed through its pidfd.
        using var never = ForkPipe.Create("never written");
        int sleeper = ProcessForker.Fork(() => never.WaitReadable(TimeSpan.FromSeconds(60)) ? 1 : 2);
        string killed;
        using (var handle = ProcessHandle.Open(sleeper))
        {
            bool exitedEarly = handle.TryReap(out _);
            handle.Signal(SIGKILL);
            killed = exitedEarly ? "exited before the kill" : handle.WaitForExit(Timeout)?.ToString() ?? "hung";
        }

        // waitpid(pid, WNOHANG) once the pidfd says the child is gone (an EventLoop, as the supervisor does).
        int exiter = ProcessForker.Fork(() => 3);
        string waitPid;
        using (var handle = ProcessHandle.Open(exiter))
        using (var loop = new EventLoop())
        {
            loop.Add(handle.Fd, EventLoop.Readable, _ => { });
            int ready = loop.RunOnce((int)Timeout.TotalMilliseconds);
            waitPid = ready == 1 && ProcessCalls.TryReap(exiter, out var status) ? status.ToString() : "not reaped";
        }

        int thrower = ProcessForker.Fork(() => throw new InvalidOperationException("deliberate failure in a forked child"));
        string crashed = ProcessCalls.WaitForExit(thrower, Timeout)?.ToString() ?? "hung";

        return new { command = "reap", killed, waitPid, crashed, crashExitCode = ProcessForker.UnhandledExceptionExitCode };
    }
}
