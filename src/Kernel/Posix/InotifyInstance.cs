using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>A non-blocking, close-on-exec inotify descriptor with checked calls.</summary>
internal sealed unsafe partial class InotifyInstance : IDisposable
{
    // Room for hundreds of events per read(2): a burst of vassal files is drained in a few calls.
    private const int ReadBufferSize = 64 * 1024;

    private readonly byte[] _buffer = new byte[ReadBufferSize];

    public InotifyInstance()
    {
        Fd = PosixException.ThrowIfFailed(
            InotifyInit1(IN_NONBLOCK | IN_CLOEXEC), "inotify_init1");
    }

    /// <summary>The descriptor to watch for readability.</summary>
    public int Fd { get; private set; }

    /// <summary>Watches <paramref name="path"/> for <paramref name="mask"/>; returns the watch descriptor.</summary>
    /// <exception cref="PosixException">ENOENT, ENOTDIR, EACCES, ENOSPC (watch limit) and the like.</exception>
    public int AddWatch(string path, uint mask)
    {
        var native = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, native);
        fixed (byte* p = native)
        {
            return PosixException.ThrowIfFailed(InotifyAddWatch(Fd, p, mask), $"inotify_add_watch({path})");
        }
    }

    /// <summary>Drops a watch the kernel may already have dropped itself (its directory deleted).</summary>
    public void RemoveWatch(int watch)
    {
        if (InotifyRemoveWatch(Fd, watch) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINVAL)
            {
                throw new PosixException($"inotify_rm_watch({watch})", errno);
            }
        }
    }

    /// <summary>Reads every queued event into <paramref name="events"/>, until the queue is empty (EAGAIN).</summary>
    public void ReadAvailable(List<InotifyEvent> events)
    {
        fixed (byte* buffer = _buffer)
        {
            while (true)
            {
                long length = read(Fd, buffer, ReadBufferSize);
                if (length < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EAGAIN)
                    {
                        return;
                    }

                    if (errno != EINTR)
                    {
                        throw new PosixException($"read from inotify fd {Fd}", errno);
                    }

                    continue;
                }

                if (length == 0)
                {
                    return;
                }

                Decode(buffer, (int)length, events);
            }
        }
    }

    public void Dispose()
    {
        if (Fd >= 0)
        {
            Descriptors.Close(Fd);
            Fd = -1;
        }
    }

    private static void Decode(byte* buffer, int length, List<InotifyEvent> events)
    {
        // The kernel only returns whole records; the name is NUL-padded to an alignment boundary.
        int offset = 0;
        while (offset + EventHeaderSize <= length)
        {
            byte* record = buffer + offset;
            int watch = *(int*)record;
            uint mask = *(uint*)(record + 4);
            int nameLength = (int)*(uint*)(record + 12);
            string? name = null;
            if (nameLength > 0)
            {
                var nameBytes = new ReadOnlySpan<byte>(record + EventHeaderSize, nameLength);
                int end = nameBytes.IndexOf((byte)0);
                name = Encoding.UTF8.GetString(end < 0 ? nameBytes : nameBytes[..end]);
            }

            events.Add(new InotifyEvent(watch, mask, name));
            offset += EventHeaderSize + nameLength;
        }
    }
}
