using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

public sealed class ProcessCallsTests
{
    [Fact]
    public void Pid_is_the_kernels() => Assert.Equal(Environment.ProcessId, ProcessCalls.GetPid());

    [Fact]
    public void Killing_a_process_that_does_not_exist_reports_false()
        => Assert.False(ProcessCalls.Kill(int.MaxValue, 0)); // above any pid_max: always ESRCH

    [Fact]
    public void Reaping_a_process_that_is_not_our_child_names_the_call()
    {
        var error = Assert.Throws<PosixException>(() => ProcessCalls.TryReap(1, out _));
        Assert.Contains("waitpid(1, WNOHANG)", error.Message);
    }

    [Fact]
    public void Thread_names_are_cut_to_fifteen_bytes()
    {
        string? comm = null;
        var thread = new Thread(() =>
        {
            ProcessCalls.SetThreadName("vassal-worker-0123456789");
            comm = File.ReadAllText($"/proc/self/task/{SystemCalls.GetThreadId()}/comm").TrimEnd('\n');
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal("vassal-worker-0", comm);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Kill_refuses_a_pid_that_names_a_process_group(int pid)
    {
        // kill(0) would signal this test run's whole process group; the guard must fire before any signal is sent.
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessCalls.Kill(pid, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessCalls.KillAndReap(pid, TimeSpan.FromSeconds(1)));
    }
}
