using ForkServer.Kernel.Posix;
using static ForkServer.Kernel.Tests.Posix.FdPassingTests;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>A silent peer, a peer that hangs up early, and a peer that passes too many fds: bounded, typed, no leak.</summary>
public sealed unsafe class FdPassingFailureTests
{
    [Fact]
    public void A_silent_peer_times_out_at_the_deadline()
    {
        using var connection = ConnectedPair.OverSocketPair();
        var received = new List<int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Throws<TimeoutException>(
            () => FdPassing.ReceiveExactly(connection.Receiver, new byte[60], received, Environment.TickCount64 + 200));

        Assert.InRange(clock.ElapsedMilliseconds, 150, 5_000);
        Assert.Empty(received);
    }

    [Fact]
    public void A_timeout_after_fds_arrived_closes_them()
    {
        using var connection = ConnectedPair.OverSocketPair();
        using var pipe = Pipe.Create();
        var received = new List<int>();
        FdPassing.Send(connection.Sender, Payload().AsSpan(0, 10), [pipe.WriteEnd], Deadline());
        pipe.CloseWriteEnd();

        Assert.Throws<TimeoutException>(
            () => FdPassing.ReceiveExactly(connection.Receiver, new byte[60], received, Environment.TickCount64 + 200));

        Assert.Empty(received);
        Assert.True(pipe.AllWriteEndsClosed());
    }

    [Fact]
    public void End_of_stream_mid_payload_says_how_much_came()
    {
        using var connection = ConnectedPair.OverListener();
        var received = new List<int>();
        FdPassing.Send(connection.Sender, Payload().AsSpan(0, 25), [], Deadline());
        connection.CloseSender();

        var error = Assert.Throws<EndOfStreamException>(
            () => FdPassing.ReceiveExactly(connection.Receiver, new byte[60], received, Deadline()));

        Assert.Contains("25 of 60", error.Message);
    }

    [Fact]
    public void More_fds_than_the_receiver_holds_is_an_error_and_leaks_nothing()
    {
        const int sentCount = 2 * FdPassing.ReceiveCapacity;
        using var connection = ConnectedPair.OverSocketPair();
        var pipes = Enumerable.Range(0, sentCount).Select(_ => Pipe.Create()).ToArray();
        try
        {
            var pipeNames = pipes.Select(p => FdTarget(p.ReadEnd)).ToHashSet();
            FdPassing.Send(connection.Sender, Payload(), pipes.Select(p => p.WriteEnd).ToArray(), Deadline());
            Array.ForEach(pipes, p => p.CloseWriteEnd());
            var received = new List<int>();

            Assert.Throws<FdPassingException>(
                () => FdPassing.ReceiveExactly(connection.Receiver, new byte[60], received, Deadline()));

            // Counted by pipe identity, so fds that tests running in parallel open do not disturb the count:
            // only the read ends are left.
            Assert.Empty(received);
            Assert.Equal(sentCount, Directory.GetFiles("/proc/self/fd").Count(fd => pipeNames.Contains(FdTarget(fd))));
            Assert.All(pipes, p => Assert.True(p.AllWriteEndsClosed()));
        }
        finally
        {
            Array.ForEach(pipes, p => p.Dispose());
        }
    }

    [Fact]
    public void Sending_without_payload_is_refused()
    {
        using var connection = ConnectedPair.OverSocketPair();
        Assert.Throws<ArgumentException>(() => FdPassing.Send(connection.Sender, [], [0], Deadline()));
    }

    private static string? FdTarget(int fd) => FdTarget($"/proc/self/fd/{fd}");

    private static string? FdTarget(string procPath)
    {
        try
        {
            return new FileInfo(procPath).LinkTarget;
        }
        catch (IOException)
        {
            // The fd was closed between listing and reading: not one of ours.
            return null;
        }
    }
}
