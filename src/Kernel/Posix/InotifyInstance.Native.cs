using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Posix;

/// <summary>The inotify(7) entry points, which Tmds.LibC 0.5.0 lacks; the event bits are <see cref="InotifyMask"/>.</summary>
internal sealed unsafe partial class InotifyInstance
{
    private const int IN_NONBLOCK = 0x800;
    private const int IN_CLOEXEC = 0x80000;

    /// <summary>struct inotify_event without its name: wd, mask, cookie, len.</summary>
    private const int EventHeaderSize = 16;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true)]
    private static partial int InotifyAddWatch(int fd, byte* path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    private static partial int InotifyRemoveWatch(int fd, int watch);
}
