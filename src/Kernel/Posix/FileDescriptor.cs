namespace ForkServer.Kernel.Posix;

/// <summary>
/// An open file descriptor and the duty to close it. Where a descriptor passes from one component to another (a
/// request's fds, the on-demand socket, a channel), it travels as one of these: whoever holds it closes it
/// (<see cref="Dispose"/>) or hands the duty on (<see cref="Move"/>, <see cref="Release"/>), and a second close of
/// the same number, which could close a descriptor opened meanwhile, cannot happen.
/// </summary>
/// <remarks>
/// A class, not a SafeHandle: no finalizer may close a descriptor behind the back of a process that forks, and a
/// non-generic type costs a forked child no JIT compilation. After a fork each process holds its own copy of the
/// object and of the descriptor; disposing one closes that process's only.
/// </remarks>
internal sealed class FileDescriptor : IDisposable
{
    private int _fd;

    /// <summary>Takes over <paramref name="fd"/>: it is closed with this object.</summary>
    public FileDescriptor(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        _fd = fd;
    }

    /// <summary>The descriptor's number.</summary>
    /// <exception cref="ObjectDisposedException">The descriptor was closed or handed on.</exception>
    public int Fd => _fd >= 0 ? _fd : throw new ObjectDisposedException(nameof(FileDescriptor), "the descriptor was closed or handed on");

    /// <summary>True once the descriptor was closed or handed on.</summary>
    public bool IsReleased => _fd < 0;

    /// <summary>Hands the duty to close on to a new owner; this object no longer closes it.</summary>
    public FileDescriptor Move() => new(Release());

    /// <summary>Gives the number up without closing it: the caller now closes it.</summary>
    public int Release()
    {
        int fd = Fd;
        _fd = -1;
        return fd;
    }

    /// <summary>Closes the descriptor unless it was handed on; a second call does nothing.</summary>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            Descriptors.Close(_fd);
            _fd = -1;
        }
    }

    public override string ToString() => _fd >= 0 ? $"fd {_fd}" : "fd (released)";
}
