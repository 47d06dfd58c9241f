using System.Runtime.InteropServices;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>The Emperor ↔ vassal control channel: connected ends, a non-blocking Emperor end, EOF when the vassal is gone.</summary>
public sealed unsafe class ControlSocketPairTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Bytes_flow_both_ways()
    {
        using var channel = ControlSocketPair.Create();
        Write(channel.EmperorEnd, 0x01);
        Assert.Equal([0x01], ReadAvailable(channel.VassalEnd));
        Write(channel.VassalEnd, 0x05);
        Assert.Equal([0x05], ReadAvailable(channel.EmperorEnd));
    }

    [Fact]
    public void The_emperor_end_is_non_blocking_and_both_ends_close_on_exec()
    {
        using var channel = ControlSocketPair.Create();
        byte buffer;
        Assert.Equal(-1, (int)read(channel.EmperorEnd, &buffer, 1));
        Assert.Equal(EAGAIN, Marshal.GetLastPInvokeError());
        Assert.Equal(0, fcntl(channel.VassalEnd, F_GETFL) & O_NONBLOCK);
        Assert.Equal(FD_CLOEXEC, fcntl(channel.EmperorEnd, F_GETFD) & FD_CLOEXEC);
        Assert.Equal(FD_CLOEXEC, fcntl(channel.VassalEnd, F_GETFD) & FD_CLOEXEC);
    }

    [Fact]
    public void The_emperor_end_sees_eof_once_the_vassal_exits()
    {
        using var channel = ControlSocketPair.Create();
        var request = new SpawnRequest("/bin/sh", ["sh", "-c", "exit 0"], new Dictionary<string, string?>(), [channel.VassalEnd], false);
        using var handle = ProcessHandle.Open(ProcessSpawner.Spawn(request));
        channel.CloseVassalEnd();
        Assert.Equal(-1, channel.VassalEnd);
        Assert.Equal(ExitStatus.Exited(0), handle.WaitForExit(ExitTimeout));

        byte buffer;
        Assert.Equal(0, (int)read(channel.EmperorEnd, &buffer, 1));
    }

    [Fact]
    public void Disposing_closes_both_ends()
    {
        var channel = ControlSocketPair.Create();
        int emperorEnd = channel.EmperorEnd;
        channel.Dispose();
        Assert.Equal(-1, channel.EmperorEnd);
        Assert.Equal(-1, fcntl(emperorEnd, F_GETFD));
        channel.Dispose();
    }

    /// <summary>Reads what is already buffered on <paramref name="fd"/> (waiting up to a few seconds for the first byte).</summary>
    internal static byte[] ReadAvailable(int fd)
    {
        var descriptor = new SystemCalls.PollDescriptor { Fd = fd, Events = POLLIN };
        Assert.Equal(1, SystemCalls.Poll(&descriptor, 1, (int)ExitTimeout.TotalMilliseconds));
        byte* buffer = stackalloc byte[64];
        long count = (long)read(fd, buffer, 64);
        Assert.True(count > 0, $"read on fd {fd} returned {count}, errno {Marshal.GetLastPInvokeError()}");
        return new Span<byte>(buffer, (int)count).ToArray();
    }

    private static void Write(int fd, byte message) => Assert.Equal(1, (int)write(fd, &message, 1));
}
