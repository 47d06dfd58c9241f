using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Tests.Forking;

namespace ForkServer.Kernel.Tests.Posix;

public sealed class ControlledSignalsTests
{
    private const int SigTerm = 15;

    [Fact]
    public void Mask_holds_exactly_the_controlled_signals()
        => Assert.Equal((1UL << 0) | (1UL << 1) | (1UL << 2) | (1UL << 9) | (1UL << 11) | (1UL << 14) | (1UL << 16), ControlledSignals.Mask);

    [Fact]
    public void After_the_restart_every_thread_blocks_and_a_forked_child_takes_sigterm_through_its_signalfd()
    {
        var report = ForkProbeRunner.Run(TimeSpan.FromSeconds(60), "signals");

        var threads = report.GetProperty("threads").EnumerateArray().ToList();
        Assert.NotEmpty(threads);
        Assert.All(threads, thread => Assert.True(thread.GetProperty("blocksControlled").GetBoolean(), thread.ToString()));
        Assert.Equal("ForkProbe", threads[0].GetProperty("name").GetString()); // the restart keeps the process name

        int probePid = report.GetProperty("probePid").GetInt32();
        Assert.Equal(SigTerm, report.GetProperty("childSignal").GetInt32());
        Assert.Equal(probePid, report.GetProperty("childSignalSender").GetInt32());
        Assert.Equal(report.GetProperty("childThreads").GetInt32(), report.GetProperty("childThreadsBlocking").GetInt32());
        Assert.Equal(0, report.GetProperty("childExitCode").GetInt32());

        Assert.DoesNotContain(SigTerm, report.GetProperty("parentSignals").EnumerateArray().Select(s => s.GetInt32()));
    }
}
