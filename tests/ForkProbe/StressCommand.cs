using System.Diagnostics;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkProbe;

/// <summary>
/// Forks children one after another; each uses what a real forked app uses (allocation, GC, a thread, the
/// thread pool), reports its index through a pipe and exits with a code derived from it.
/// </summary>
internal static class StressCommand
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    public static object Run(int count)
    {
        using var reports = ForkPipe.Create("stress reports");
        int ok = 0, hung = 0, failed = 0;
        var latencies = new List<double>();
        var failures = new List<string>();
        for (int index = 0; index < count; index++)
        {
            int child = index;
            var clock = Stopwatch.StartNew();
            int pid;
            try
            {
                pid = ProcessForker.Fork(() => ChildMain(child, reports));
            }
            catch (Exception exception)
            {
                failed++;
                failures.Add($"#{index}: fork threw {exception.GetType().Name}: {exception.Message}");
                continue;
            }

            var status = ProcessCalls.WaitForExit(pid, ExitTimeout);
            if (status is null)
            {
                hung++;
                ProcessCalls.Kill(pid, SIGKILL);
                failures.Add($"#{index} pid {pid}: no exit within {ExitTimeout.TotalSeconds} s, killed ({ProcessCalls.WaitForExit(pid, ExitTimeout)})");
                continue;
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
            bool reported = reports.WaitReadable(TimeSpan.Zero) && reports.ReadInt32() == index;
            if (status == ExitStatus.Exited(ExpectedExitCode(index)) && reported)
            {
                ok++;
            }
            else
            {
                failed++;
                failures.Add($"#{index} pid {pid}: {status}, reported={reported}");
            }
        }

        latencies.Sort();
        return new
        {
            command = "stress",
            children = count,
            ok,
            hung,
            failed,
            maxLatencyMs = latencies.Count > 0 ? Math.Round(latencies[^1], 1) : 0,
            medianLatencyMs = latencies.Count > 0 ? Math.Round(latencies[latencies.Count / 2], 1) : 0,
            failures = failures.Take(10),
        };
    }

    private static int ExpectedExitCode(int index) => 1 + (index % 100);

    private static int ChildMain(int index, ForkPipe reports)
    {
        var garbage = new List<byte[]>();
        for (int i = 0; i < 100; i++)
        {
            garbage.Add(new byte[1024 * (1 + (i % 8))]);
        }

        GC.Collect();

        int fromThread = 0;
        var thread = new Thread(() => fromThread = index + 1);
        thread.Start();
        thread.Join();

        int fromPool = Task.Run(() => index + 2).Result;
        if (fromThread != index + 1 || fromPool != index + 2 || garbage.Count != 100)
        {
            return 99;
        }

        reports.WriteInt32(index);
        return ExpectedExitCode(index);
    }
}
