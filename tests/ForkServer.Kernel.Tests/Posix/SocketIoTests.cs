using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>Each outcome of a non-blocking send and receive, on a blocking socketpair (MSG_DONTWAIT makes them non-blocking).</summary>
public sealed class SocketIoTests : IDisposable
{
    private readonly FileDescriptor _first;
    private readonly FileDescriptor _second;

    public SocketIoTests()
    {
        var (first, second) = StreamSocketPair.Create("a SocketIo test");
        _first = new FileDescriptor(first);
        _second = new FileDescriptor(second);
    }

    [Fact]
    public void An_empty_socket_would_block()
    {
        Span<byte> buffer = stackalloc byte[8];
        Assert.Equal(IoOutcome.WouldBlock, SocketIo.Receive(_second.Fd, buffer, out int count, out _));
        Assert.Equal(0, count);
    }

    [Fact]
    public void What_is_sent_is_received()
    {
        Assert.Equal(IoOutcome.Transferred, SocketIo.Send(_first.Fd, "hello"u8, out int sent, out _));
        Assert.Equal(5, sent);
        Assert.True(SocketIo.TrySendByte(_first.Fd, (byte)'!'));

        Span<byte> buffer = stackalloc byte[16];
        Assert.Equal(IoOutcome.Transferred, SocketIo.Receive(_second.Fd, buffer, out int received, out _));
        Assert.Equal("hello!"u8, buffer[..received]);
    }

    [Fact]
    public void A_closed_peer_reads_as_end_of_stream_and_refuses_writes()
    {
        _first.Dispose();
        Span<byte> buffer = stackalloc byte[8];
        Assert.Equal(IoOutcome.EndOfStream, SocketIo.Receive(_second.Fd, buffer, out _, out _));
        Assert.Equal(IoOutcome.Failed, SocketIo.Send(_second.Fd, "x"u8, out _, out int errno));
        Assert.Equal(32, errno); // EPIPE, and no SIGPIPE to kill the test run
        Assert.False(SocketIo.TrySendByte(_second.Fd, 1));
    }

    [Fact]
    public void A_shut_down_side_reads_as_end_of_stream_at_the_peer()
    {
        Assert.True(SocketIo.TryShutdownWrite(_first.Fd, out _));
        Span<byte> buffer = stackalloc byte[8];
        Assert.Equal(IoOutcome.EndOfStream, SocketIo.Receive(_second.Fd, buffer, out _, out _));
    }

    [Fact]
    public void A_full_buffer_would_block()
    {
        var chunk = new byte[64 * 1024];
        IoOutcome outcome;
        while ((outcome = SocketIo.Send(_first.Fd, chunk, out _, out _)) == IoOutcome.Transferred)
        {
        }

        Assert.Equal(IoOutcome.WouldBlock, outcome);
        Assert.True(Readiness.WaitReadable(_second.Fd, Environment.TickCount64 + 1000, "poll on test socket"));
        Assert.False(Readiness.WaitWritable(_first.Fd, Environment.TickCount64 + 50, "poll on test socket"));
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
