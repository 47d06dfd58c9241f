using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

public sealed class TimerFdTests
{
    [Fact]
    public void An_armed_timer_expires_and_a_stopped_one_does_not()
    {
        using var timer = new TimerFd();
        Assert.False(timer.TryConsume());

        timer.Arm(1);
        Assert.True(Readiness.WaitReadable(timer.Fd, Environment.TickCount64 + 5000, "poll on test timer"));
        Assert.True(timer.TryConsume());

        timer.Arm(0);
        Assert.False(Readiness.WaitReadable(timer.Fd, Environment.TickCount64 + 1500, "poll on test timer"));
        Assert.False(timer.TryConsume());
    }
}
