using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;

namespace ForkProbe;

/// <summary>Starts a stray thread and checks that the fork is refused with a message naming it.</summary>
internal static class RefuseCommand
{
    private const string StrayThreadName = "stray-worker";

    public static object Run()
    {
        using var started = ForkPipe.Create("stray thread start");
        using var release = ForkPipe.Create("stray thread release");
        var stray = new Thread(() =>
        {
            started.WriteInt32(SystemCalls.GetThreadId());
            release.ReadInt32();
        })
        {
            Name = StrayThreadName,
            IsBackground = true,
        };
        stray.Start();
        int strayThreadId = started.WaitReadable(TimeSpan.FromSeconds(10)) ? started.ReadInt32() : 0;

        string outcome;
        string? message = null;
        try
        {
            int pid = ProcessForker.Fork(() => 0);
            outcome = $"forked pid {pid} ({ProcessCalls.WaitForExit(pid, TimeSpan.FromSeconds(10))})";
        }
        catch (ForkRefusedException refused)
        {
            outcome = "refused";
            message = refused.Message;
        }

        release.WriteInt32(0);
        bool strayEnded = stray.Join(TimeSpan.FromSeconds(10));
        return new { command = "refuse", outcome, message, strayThreadId, strayThreadName = StrayThreadName, strayEnded };
    }
}
