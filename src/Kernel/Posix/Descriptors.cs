using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>Closing raw descriptors, for code that holds them as numbers (see <see cref="FileDescriptor"/> where ownership passes).</summary>
internal static class Descriptors
{
    /// <summary>
    /// Closes <paramref name="fd"/>. Not retried on EINTR and not checked: Linux releases the number even when close
    /// reports an error, and a retry could close a descriptor another thread opened meanwhile.
    /// </summary>
    public static void Close(int fd) => _ = close(fd);

    /// <summary>Closes every descriptor of <paramref name="fds"/> (see <see cref="Close"/>).</summary>
    public static void CloseAll(IEnumerable<int> fds)
    {
        foreach (int fd in fds)
        {
            Close(fd);
        }
    }
}
