using System.Diagnostics;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

public sealed class ProcessHandleTests
{
    /// <summary>
    /// An adopted vassal can exit before its parent, the base's middle child, does: its pidfd turns readable while
    /// waitid still answers ECHILD. That is "not yet ours to reap", not an error (it once crashed the Emperor).
    /// </summary>
    [Fact]
    public void A_process_that_exited_while_not_our_child_is_left_for_later_and_says_so()
    {
        // The middle shell prints its child's pid and becomes a sleep, which never reaps it; the child exits a second
        // later, so the shell cannot have reaped it first.
        using var middle = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 1 & echo $!; exec sleep 30"]) { RedirectStandardOutput = true })!;
        try
        {
            int grandchild = int.Parse(middle.StandardOutput.ReadLine()!);
            using var handle = ProcessHandle.Open(grandchild);
            using var loop = new EventLoop();
            loop.Add(handle.Fd, EventLoop.Readable, _ => { });
            Assert.Equal(1, loop.RunOnce(10_000));

            Assert.False(handle.TryReap(out _));
            Assert.True(handle.ExitedBeforeReparenting);
        }
        finally
        {
            middle.Kill();
            middle.WaitForExit(10_000);
        }
    }
}
