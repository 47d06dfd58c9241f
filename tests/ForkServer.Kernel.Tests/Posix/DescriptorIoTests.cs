using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>Pipes, read and write, and poll's deadline.</summary>
public sealed class DescriptorIoTests : IDisposable
{
    private readonly FileDescriptor _read;
    private readonly FileDescriptor _write;

    public DescriptorIoTests()
    {
        var (read, write) = Pipes.Create("a DescriptorIo test");
        _read = new FileDescriptor(read);
        _write = new FileDescriptor(write);
    }

    [Fact]
    public void A_pipe_carries_what_is_written()
    {
        Assert.True(DescriptorIo.TryWriteAll(_write.Fd, "ping"u8, out int errno));
        Assert.Equal(0, errno);
        Assert.True(Readiness.WaitReadable(_read.Fd, Environment.TickCount64 + 1000, "poll on test pipe"));

        Span<byte> buffer = stackalloc byte[8];
        int length = DescriptorIo.Read(_read.Fd, buffer, "read from test pipe");
        Assert.Equal("ping"u8, buffer[..length]);
    }

    [Fact]
    public void An_empty_pipe_is_not_readable_by_the_deadline()
        => Assert.False(Readiness.WaitReadable(_read.Fd, Environment.TickCount64 + 20, "poll on test pipe"));

    [Fact]
    public void The_writers_end_reads_as_end_of_file()
    {
        _write.Dispose();
        Span<byte> buffer = stackalloc byte[8];
        Assert.Equal(0, DescriptorIo.Read(_read.Fd, buffer, "read from test pipe"));
    }

    [Fact]
    public void A_failed_call_is_named_with_its_descriptor()
    {
        var error = Assert.Throws<PosixException>(() => DescriptorIo.Write(_read.Fd, "x"u8, "write to test pipe"));
        Assert.StartsWith($"write to test pipe {_read.Fd} failed", error.Message);
    }

    [Fact]
    public void Close_on_exec_is_set_and_cleared()
    {
        Assert.True(DescriptorFlags.IsOpen(_read.Fd));
        DescriptorFlags.SetCloseOnExec(_read.Fd, closeOnExec: false, "the test pipe");
        DescriptorFlags.SetCloseOnExec(_read.Fd, closeOnExec: true, "the test pipe");
        Assert.False(DescriptorFlags.IsOpen(-1));
    }

    public void Dispose()
    {
        _read.Dispose();
        _write.Dispose();
    }
}
