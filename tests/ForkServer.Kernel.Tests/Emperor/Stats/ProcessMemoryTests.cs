using System.Diagnostics;
using ForkServer.Kernel.Emperor.Stats;

namespace ForkServer.Kernel.Tests.Emperor.Stats;

/// <summary>Memory and children read from /proc, and silence for processes that are gone.</summary>
public sealed class ProcessMemoryTests
{
    [Fact]
    public void This_process_has_resident_memory_in_bytes()
    {
        var (rss, pss) = ProcessMemory.Read(Environment.ProcessId);
        Assert.True(rss > 1024 * 1024, $"rss {rss}");
        Assert.InRange(pss, 1, rss);
    }

    [Fact]
    public void A_vanished_process_reads_as_zero_and_childless()
    {
        using var child = Process.Start(new ProcessStartInfo("true"))!;
        Assert.True(child.WaitForExit(20_000));
        int pid = child.Id;
        child.Dispose();

        Assert.Equal((0, 0), ProcessMemory.Read(pid));
        Assert.Empty(ProcessMemory.ChildPids(pid));
        Assert.Equal((0, 0), ProcessMemory.Read(int.MaxValue));
    }

    [Fact]
    public async Task Children_started_from_any_thread_are_listed()
    {
        // Process.Start forks from whichever thread calls it, so the children can hang off any task of ours.
        using var first = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        using var second = await Task.Run(() => Process.Start(new ProcessStartInfo("sleep", "30"))!).WaitAsync(TimeSpan.FromSeconds(20));
        try
        {
            var children = ProcessMemory.ChildPids(Environment.ProcessId);
            Assert.Contains(first.Id, children);
            Assert.Contains(second.Id, children);
        }
        finally
        {
            first.Kill();
            second.Kill();
            first.WaitForExit(20_000);
            second.WaitForExit(20_000);
        }
    }
}
