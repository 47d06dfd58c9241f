namespace ForkServer.Kernel.Tests.Forking;

public sealed class ProcessForkerTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public void Two_hundred_children_use_gc_threads_and_thread_pool_and_exit_with_their_codes()
    {
        var report = ForkProbeRunner.Run(ProbeTimeout, "stress", "200");

        Assert.True(report.GetProperty("ok").GetInt32() == 200, report.ToString());
        Assert.Equal(0, report.GetProperty("hung").GetInt32());
        Assert.Equal(0, report.GetProperty("failed").GetInt32());
    }

    [Fact]
    public void Fork_is_refused_with_a_message_naming_the_stray_thread()
    {
        var report = ForkProbeRunner.Run(ProbeTimeout, "refuse");

        Assert.Equal("refused", report.GetProperty("outcome").GetString());
        string message = report.GetProperty("message").GetString()!;
        Assert.Contains($"{report.GetProperty("strayThreadId").GetInt32()} \"stray-worker\"", message);
        Assert.DoesNotContain(".NET Finalizer", message);
        Assert.True(report.GetProperty("strayEnded").GetBoolean());
    }

    [Fact]
    public void Detached_grandchild_is_reparented_to_the_subreaper_and_reaped_with_its_exit_code()
    {
        var report = ForkProbeRunner.Run(ProbeTimeout, "detached");

        Assert.Equal(report.GetProperty("probePid").GetInt32(), report.GetProperty("grandchildParent").GetInt32());
        Assert.Equal(42, report.GetProperty("exitCode").GetInt32());
        Assert.Equal("exit code 42", report.GetProperty("exit").GetString());
    }

    [Fact]
    public void Forked_children_are_reaped_after_a_kill_an_exit_and_an_unhandled_exception()
    {
        var report = ForkProbeRunner.Run(ProbeTimeout, "reap");

        Assert.Equal("signal 9 (SIGKILL)", report.GetProperty("killed").GetString());
        Assert.Equal("exit code 3", report.GetProperty("waitPid").GetString());
        Assert.Equal($"exit code {report.GetProperty("crashExitCode").GetInt32()}", report.GetProperty("crashed").GetString());
    }
}
