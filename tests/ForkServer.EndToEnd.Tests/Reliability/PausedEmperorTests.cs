using System.Diagnostics;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// An Emperor stopped (SIGSTOP) past a vassal's deadline, then resumed (SIGCONT): what the vassal reported, or its
/// exit, while the Emperor was stopped counts before the deadline does. Healthy vassals are not killed on resume.
/// The settings are small so that each stop lasts a few seconds.
/// </summary>
public sealed class PausedEmperorTests
{
    private const int SIGCONT = 18, SIGSTOP = 19;

    [Fact]
    public void A_vassal_whose_heartbeats_waited_unread_is_not_killed_on_resume()
    {
        using var emperor = new EmperorHarness("--emperor-required-heartbeat", "2");
        emperor.DropVassal("beat.ini", "hello.psgi", "heartbeat = 1");
        int pid = emperor.WaitAccepting("beat.ini");

        // Heartbeats are counted in whole seconds: 4 s is past the 2 s for certain; the vassal beats on meanwhile.
        var stopped = Stopwatch.StartNew();
        Paused(emperor, () => stopped.Elapsed > TimeSpan.FromSeconds(4));

        AssertNotKilled(emperor, "beat.ini", pid);
    }

    [Fact]
    public void A_vassal_that_became_ready_while_the_emperor_was_stopped_is_not_killed_as_late()
    {
        using var emperor = new EmperorHarness("--emperor-ready-timeout", "2");
        emperor.DropVassal("late.ini", "hello.psgi");
        int pid = int.Parse(emperor.Server.WaitForLine(new Regex("spawned vassal late.ini \\(pid (\\d+)\\)")).Groups[1].Value);
        var spawned = Stopwatch.StartNew();

        // The vassal starts, and reports ready, while the Emperor is stopped; its log reaches the test all the same.
        Paused(emperor, () => spawned.Elapsed > TimeSpan.FromSeconds(3)
            && Regex.IsMatch(emperor.Server.Output, $"master: all 1 worker\\(s\\) accepting") && ProcessTree.IsAlive(pid));

        // The master logs "accepting" just before it reports ready: the Emperor may read the report after the stats.
        emperor.Server.WaitForLine(new Regex($"vassal late.ini \\(pid {pid}\\) is ready"));
        AssertNotKilled(emperor, "late.ini", pid);
    }

    [Fact]
    public async Task A_stopped_vassal_that_exited_while_the_emperor_was_stopped_is_reaped_not_killed()
    {
        using var emperor = new EmperorHarness("--emperor-curse-tolerance", "2", "--emperor-graceful-shutdown");
        string ini = emperor.DropVassal("slow.ini", "info.psgi");
        int pid = emperor.WaitAccepting("slow.ini");

        // A request in flight keeps the graceful stop going for 5 s: the vassal exits while the Emperor is stopped.
        using var client = Http.Client(emperor.PortOf(pid));
        var slow = Http.GetFresh(client, "slow?ms=5000");
        emperor.Server.WaitForLine(new Regex("^slow request started$"));
        File.Delete(ini);

        // The vassal's line, not the Emperor's: the Emperor logs before it sends the stop.
        emperor.Server.WaitForLine(new Regex($"\\[pid {pid}\\] master: graceful stop"));
        var cursed = Stopwatch.StartNew();
        Paused(emperor, () => ProcessTree.State(pid) == 'Z' && cursed.Elapsed > TimeSpan.FromSeconds(3));

        emperor.Server.WaitForLine(new Regex($"vassal slow.ini \\(pid {pid}\\) ended"));
        Assert.DoesNotMatch("killing vassal", emperor.Server.Output);
        Assert.Equal(200, (await slow).Status);
    }

    /// <summary>Stops the Emperor until <paramref name="resumeWhen"/> holds (bounded), then resumes it.</summary>
    private static void Paused(EmperorHarness emperor, Func<bool> resumeWhen)
    {
        ProcessTree.Signal(emperor.Server.Pid, SIGSTOP);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!resumeWhen())
            {
                Assert.True(DateTime.UtcNow < deadline, "the condition to resume the Emperor never held; output:\n" + emperor.Server.Output);
                Thread.Sleep(50); // polling a condition, not waiting for a signal: the Emperor is stopped
            }
        }
        finally
        {
            ProcessTree.Signal(emperor.Server.Pid, SIGCONT);
        }
    }

    /// <summary>
    /// Two stats reads, one after the other: the second is answered in a later turn of the Emperor's loop than the
    /// first, so the deadline check that follows its resume has run by then.
    /// </summary>
    private static void AssertNotKilled(EmperorHarness emperor, string name, int pid)
    {
        for (int i = 0; i < 2; i++)
        {
            using var stats = EmperorStatsClient.Read(emperor.StatsSocket);
            Assert.NotNull(EmperorStatsClient.Vassal(stats, name));
        }

        Assert.DoesNotMatch("killing vassal", emperor.Server.Output);
        Assert.True(ProcessTree.IsAlive(pid), $"vassal {name} (pid {pid}) is gone; output:\n{emperor.Server.Output}");
    }
}
