using System.Diagnostics;
using System.Runtime.InteropServices;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

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
        int* fds = stackalloc int[2];
        PosixException.ThrowIfFailed(pipe2(fds, O_CLOEXEC), $"pipe2 for {purpose}");
        return new ForkPipe(fds[0], fds[1]);
    }

    public void WriteInt32(int value)
    {
        long written;
        while ((written = write(WriteFd, &value, sizeof(int))) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw new PosixException($"write to fork pipe {WriteFd}", errno);
            }
        }

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
        long length;
        while ((length = read(ReadFd, &value, sizeof(int))) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw new PosixException($"read from fork pipe {ReadFd}", errno);
            }
        }

        return length == sizeof(int)
            ? value
            : throw new InvalidOperationException($"Fork pipe {ReadFd} closed or short ({length} bytes) before its message");
    }

    /// <summary>Waits up to <paramref name="timeout"/> for data (or the writers' end); false on timeout.</summary>
    public bool WaitReadable(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var descriptor = new SystemCalls.PollDescriptor { Fd = ReadFd, Events = POLLIN };
        while (true)
        {
            int remainingMs = (int)Math.Max(0, (timeout - clock.Elapsed).TotalMilliseconds);
            int ready = SystemCalls.Poll(&descriptor, 1, remainingMs);
            if (ready > 0)
            {
                return true;
            }

            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    throw new PosixException($"poll on fork pipe {ReadFd}", errno);
                }
            }
            else if (remainingMs == 0)
            {
                return false;
            }
        }
    }

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
