namespace ForkServer.Kernel.Posix;

/// <summary>The inotify(7) event bits: what a watch asks for, and what an <see cref="InotifyEvent"/> reports.</summary>
internal static class InotifyMask
{
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
}
