using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Forking;

/// <summary>
/// A close-on-exec pipe carrying the small messages of a fork hand-off (a wake-up byte, a pid). Raw read()/write()
/// only: no stream machinery, because either end may run on the finalizer thread or in a freshly forked child.
/// </summary>
internal sealed unsafe class ForkPipe : IDisposable
{
    private ForkPipe(int readFd, int writeFd)
    {
        ReadFd = readFd;
        WriteFd = writeFd;
    }

    public int ReadFd { get; private set; }

    public int WriteFd { get; private set; }

    public static ForkPipe Create(string purpose)
    {
        var (readFd, writeFd) = Pipes.Create(purpose);
        return new ForkPipe(readFd, writeFd);
    }

    public void WriteInt32(int value)
    {
        int written = DescriptorIo.Write(WriteFd, new ReadOnlySpan<byte>(&value, sizeof(int)), "write to fork pipe");

        // Writes of up to PIPE_BUF bytes to a pipe are atomic: anything else is a broken invariant.
        if (written != sizeof(int))
        {
            throw new InvalidOperationException($"Short write ({written} bytes) to fork pipe {WriteFd}");
        }
    }

    /// <summary>Blocks in read() until an int arrives. The caller must know the writer is committed to writing.</summary>
    public int ReadInt32()
    {
        int value;
        int length = DescriptorIo.Read(ReadFd, new Span<byte>(&value, sizeof(int)), "read from fork pipe");
        return length == sizeof(int)
            ? value
            : throw new InvalidOperationException($"Fork pipe {ReadFd} closed or short ({length} bytes) before its message");
    }

    /// <summary>Waits up to <paramref name="timeout"/> for data (or the writers' end); false on timeout.</summary>
    public bool WaitReadable(TimeSpan timeout)
        => Readiness.WaitReadable(ReadFd, Environment.TickCount64 + (long)timeout.TotalMilliseconds, "poll on fork pipe");

    /// <summary>Closes this process's write end, so the reader sees end-of-file once every other writer is gone.</summary>
    public void CloseWriteEnd()
    {
        if (WriteFd >= 0)
        {
            Descriptors.Close(WriteFd);
            WriteFd = -1;
        }
    }

    public void Dispose()
    {
        if (ReadFd >= 0)
        {
            Descriptors.Close(ReadFd);
            ReadFd = -1;
        }

        CloseWriteEnd();
    }
}
