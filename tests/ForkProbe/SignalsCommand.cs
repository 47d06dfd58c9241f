using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkProbe;

/// <summary>
/// Reports which threads block the controlled signals, then sends SIGTERM to a forked child that waits for it on
/// a signalfd: the child must get it there, and this process must not see it at all.
/// </summary>
internal static class SignalsCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static object Run()
    {
        var threads = ProcStatus.ThreadMasks()
            .Select(t => new { tid = t.Tid, name = t.Name, sigBlk = t.Blocked.ToString("x16"), blocksControlled = (t.Blocked & ControlledSignals.Mask) == ControlledSignals.Mask })
            .ToList();

        using var ready = ForkPipe.Create("child ready");
        using var received = ForkPipe.Create("child received");
        int childPid = ProcessForker.Fork(() => ChildMain(ready, received));

        bool childReady = ready.WaitReadable(Timeout) && ready.ReadInt32() == childPid;
        bool sent = childReady && ProcessCalls.Kill(childPid, SIGTERM);
        int[] answer = new int[4];
        for (int i = 0; i < answer.Length && received.WaitReadable(Timeout); i++)
        {
            answer[i] = received.ReadInt32();
        }

        var status = ProcessCalls.WaitForExit(childPid, Timeout);
        if (status is null)
        {
            ProcessCalls.Kill(childPid, SIGKILL);
            ProcessCalls.WaitForExit(childPid, Timeout);
        }

        using var own = ControlledSignals.CreateSignalFd();
        var parentSignals = new List<int>();
        while (own.TryRead(out int pending, out _))
        {
            parentSignals.Add(pending);
        }

        return new
        {
            command = "signals",
            mask = ControlledSignals.Mask.ToString("x16"),
            threads,
            childPid,
            sent,
            childSignal = answer[0],
            childSignalSender = answer[1],
            childThreadsBlocking = answer[2],
            childThreads = answer[3],
            probePid = ProcessCalls.GetPid(),
            childExit = status?.ToString() ?? "hung (killed)",
            childExitCode = status?.ExitCode,
            parentSignals,
            parentPending = ProcStatus.Field("/proc/self/status", "SigPnd"),
            parentSharedPending = ProcStatus.Field("/proc/self/status", "ShdPnd"),
        };
    }

    private static int ChildMain(ForkPipe ready, ForkPipe received)
    {
        using var signals = ControlledSignals.CreateSignalFd();
        using var loop = new EventLoop();
        int signal = 0, sender = 0;
        loop.Add(signals.Fd, EventLoop.Readable, _ => signals.TryRead(out signal, out sender));
        ready.WriteInt32(ProcessCalls.GetPid());
        loop.RunOnce((int)Timeout.TotalMilliseconds);

        var masks = ProcStatus.ThreadMasks();
        received.WriteInt32(signal);
        received.WriteInt32(sender);
        received.WriteInt32(masks.Count(t => (t.Blocked & ControlledSignals.Mask) == ControlledSignals.Mask));
        received.WriteInt32(masks.Count);
        return signal == SIGTERM ? 0 : 1;
    }
}
