using System.Globalization;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>What a spawned child inherits from the Emperor: exactly the requested fds, the requested signal mask, no ignored signals.</summary>
public sealed class ProcessSpawnerInheritanceTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, string?> NoChanges = new Dictionary<string, string?>();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("forkserver-spawn-");

    private string Output => Path.Combine(_scratch.FullName, "out");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public void Only_the_inherited_fds_reach_the_child_and_keep_their_numbers()
    {
        // Fds that must not leak: close-on-exec ones (a second pair, an open file) and a stray without close-on-exec,
        // like those a shell or supervisor may leave open in the Emperor.
        using var first = ControlSocketPair.Create();
        using var second = ControlSocketPair.Create();
        using var file = File.OpenRead("/proc/self/status");
        int stray = dup(first.EmperorEnd);
        Assert.True(stray > 2);
        int[] inherited = [first.VassalEnd, second.EmperorEnd];
        try
        {
            // exec: the listing process is the spawned one, and ls adds exactly one fd, the lowest free, for the listing.
            Run(Shell($"exec /bin/ls -1 /proc/self/fd > '{Output}'", blockControlledSignals: false) with { InheritedFds = inherited });
        }
        finally
        {
            close(stray);
        }

        var expected = new SortedSet<int>([0, 1, 2, .. inherited]);
        expected.Add(Enumerable.Range(0, int.MaxValue).First(fd => !expected.Contains(fd)));
        var seen = File.ReadAllLines(Output).Select(line => int.Parse(line, CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(expected, new SortedSet<int>(seen));
    }

    [Fact]
    public void An_inherited_control_socket_carries_a_byte_to_the_emperor_end()
    {
        using var channel = ControlSocketPair.Create();
        var request = new SpawnRequest("/bin/bash", ["bash", "-c", $"printf '\\021' >&{channel.VassalEnd}"], NoChanges, [channel.VassalEnd], false);
        using var handle = ProcessHandle.Open(ProcessSpawner.Spawn(request));
        channel.CloseVassalEnd();
        Assert.Equal(ExitStatus.Exited(0), handle.WaitForExit(ExitTimeout));

        Assert.Equal([0x11], ControlSocketPairTests.ReadAvailable(channel.EmperorEnd));
    }

    [Fact]
    public void A_foreign_child_starts_with_an_empty_mask_even_from_a_thread_that_blocks_the_controlled_signals()
    {
        var status = StatusOfChildSpawnedFromThread(blockInSpawningThread: true, blockControlledSignals: false);
        Assert.Equal(0UL, status["SigBlk"]);
        Assert.Equal(0UL, status["SigIgn"]);
    }

    [Fact]
    public void A_forkserver_child_starts_with_exactly_the_controlled_signals_blocked()
    {
        var status = StatusOfChildSpawnedFromThread(blockInSpawningThread: false, blockControlledSignals: true);
        Assert.Equal(ControlledSignals.Mask, status["SigBlk"]);
        Assert.Equal(0UL, status["SigIgn"]);
    }

    [Fact]
    public void Signals_this_process_ignores_are_not_ignored_in_the_child()
    {
        // The runtime ignores SIGPIPE, and an ignored disposition survives exec unless the spawn resets it.
        Assert.NotEqual(0UL, SignalMasks("/proc/self/status")["SigIgn"]);
        Assert.Equal(0UL, StatusOfChildSpawnedFromThread(blockInSpawningThread: false, blockControlledSignals: false)["SigIgn"]);
    }

    private Dictionary<string, ulong> StatusOfChildSpawnedFromThread(bool blockInSpawningThread, bool blockControlledSignals)
    {
        Exception? failure = null;
        var spawner = new Thread(() =>
        {
            try
            {
                if (blockInSpawningThread)
                {
                    ControlledSignals.BlockInCurrentThread();
                }

                // exec: the status read is that of the spawned process itself, mask and dispositions as it started.
                Run(Shell($"exec /bin/cat /proc/self/status > '{Output}'", blockControlledSignals));
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        spawner.Start();
        Assert.True(spawner.Join(ExitTimeout));
        Assert.Null(failure);
        return SignalMasks(Output);
    }

    private static Dictionary<string, ulong> SignalMasks(string statusPath)
        => File.ReadAllLines(statusPath)
            .Select(line => line.Split(':', 2))
            .Where(field => field[0] is "SigBlk" or "SigIgn")
            .ToDictionary(field => field[0], field => ulong.Parse(field[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static SpawnRequest Shell(string script, bool blockControlledSignals)
        => new("/bin/sh", ["sh", "-c", script], NoChanges, [], blockControlledSignals);

    private static void Run(SpawnRequest request)
    {
        using var handle = ProcessHandle.Open(ProcessSpawner.Spawn(request));
        Assert.Equal(ExitStatus.Exited(0), handle.WaitForExit(ExitTimeout));
    }
}
