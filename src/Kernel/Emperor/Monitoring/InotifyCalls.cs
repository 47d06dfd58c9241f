using System.Runtime.InteropServices;

namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>
/// The inotify(7) entry points and constants, which Tmds.LibC 0.5.0 lacks. Raw and unchecked: only
/// <see cref="InotifyInstance"/> calls them, and checks every result.
/// </summary>
internal static unsafe partial class InotifyCalls
{
    private const string LibC = "libc";

    public const int IN_NONBLOCK = 0x800;
    public const int IN_CLOEXEC = 0x80000;

    public const uint IN_ATTRIB = 0x4;
    public const uint IN_CLOSE_WRITE = 0x8;
    public const uint IN_MOVED_FROM = 0x40;
    public const uint IN_MOVED_TO = 0x80;
    public const uint IN_CREATE = 0x100;
    public const uint IN_DELETE = 0x200;
    public const uint IN_DELETE_SELF = 0x400;
    public const uint IN_MOVE_SELF = 0x800;
    public const uint IN_UNMOUNT = 0x2000;
    public const uint IN_Q_OVERFLOW = 0x4000;
    public const uint IN_IGNORED = 0x8000;
    public const uint IN_ONLYDIR = 0x01000000;
    public const uint IN_EXCL_UNLINK = 0x04000000;

    /// <summary>struct inotify_event without its name: wd, mask, cookie, len.</summary>
    public const int EventHeaderSize = 16;

    [LibraryImport(LibC, EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int InotifyInit1(int flags);

    [LibraryImport(LibC, EntryPoint = "inotify_add_watch", SetLastError = true)]
    public static partial int InotifyAddWatch(int fd, byte* path, uint mask);

    [LibraryImport(LibC, EntryPoint = "inotify_rm_watch", SetLastError = true)]
    public static partial int InotifyRemoveWatch(int fd, int watch);
}
