using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Logging;

/// <summary>
/// A write-only stream over an inherited file descriptor (1 or 2) that calls write(2) and nothing else.
/// <see cref="FileStream"/> will not do: on a regular file it writes with pwrite at its own idea of the
/// position, starting from 0, so a master and its workers sharing a redirected stderr overwrite each other's
/// lines. write(2) appends at the shared file offset, and one call per line keeps lines whole.
/// </summary>
internal sealed class DescriptorWriteStream(int fd) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!DescriptorIo.TryWriteAll(fd, buffer, out int errno))
        {
            throw new IOException($"write to fd {fd} failed (errno {errno})");
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
