using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// An initialised posix_spawn_file_actions_t in native memory: the fds the child inherits under the same numbers,
/// the stray fds it must not inherit, and the directory it starts in.
/// </summary>
internal sealed unsafe class SpawnFileActions : IDisposable
{
    private void* _fileActions;

    private SpawnFileActions(void* fileActions) => _fileActions = fileActions;

    public void* Pointer => _fileActions;

    /// <summary>File actions that keep <paramref name="inheritedFds"/> open and change to <paramref name="workingDirectory"/> (null: stay).</summary>
    public static SpawnFileActions Create(IReadOnlyList<int> inheritedFds, string? workingDirectory)
    {
        void* fileActions = NativeMemory.AllocZeroed(SpawnCalls.FileActionsSize);
        int error = SpawnCalls.FileActionsInit(fileActions);
        if (error != 0)
        {
            NativeMemory.Free(fileActions);
            throw new PosixException("posix_spawn_file_actions_init", error);
        }

        var created = new SpawnFileActions(fileActions);
        try
        {
            foreach (int fd in inheritedFds)
            {
                // Every fd of this process is close-on-exec; dup2 onto the same number clears FD_CLOEXEC in the
                // child only (glibc 2.29+), so the fd survives the exec with its number and stays private here.
                SpawnCalls.ThrowOnError(SpawnCalls.FileActionsAddDup2(fileActions, fd, fd), $"posix_spawn_file_actions_adddup2({fd}, {fd})");
            }

            foreach (int fd in StrayFds(inheritedFds))
            {
                SpawnCalls.ThrowOnError(SpawnCalls.FileActionsAddClose(fileActions, fd), $"posix_spawn_file_actions_addclose({fd})");
            }

            if (workingDirectory is not null)
            {
                fixed (byte* path = Encoding.UTF8.GetBytes(workingDirectory + "\0"))
                {
                    SpawnCalls.ThrowOnError(SpawnCalls.FileActionsAddChdir(fileActions, path), $"posix_spawn_file_actions_addchdir_np({workingDirectory})");
                }
            }

            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_fileActions == null)
        {
            return;
        }

        int error = SpawnCalls.FileActionsDestroy(_fileActions);
        NativeMemory.Free(_fileActions);
        _fileActions = null;
        SpawnCalls.ThrowOnError(error, "posix_spawn_file_actions_destroy");
    }

    /// <summary>
    /// Fds above stdio that are open here without close-on-exec and not asked for. This process opens everything
    /// close-on-exec, but whoever started it may have left fds open (a shell's, a supervisor's pipes); uWSGI's
    /// Emperor closes every fd above 2 in the child for the same reason. A stray fd closed meanwhile is harmless:
    /// glibc ignores a failed close action on an fd that is in range.
    /// </summary>
    private static List<int> StrayFds(IReadOnlyList<int> inheritedFds)
    {
        var strays = new List<int>();
        foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            int fd = int.Parse(Path.GetFileName(entry), CultureInfo.InvariantCulture);
            if (fd <= 2 || inheritedFds.Contains(fd))
            {
                continue;
            }

            int flags = fcntl(fd, F_GETFD);
            if (flags < 0)
            {
                // EBADF: the enumeration's own directory fd, or an fd another thread closed since.
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EBADF)
                {
                    throw new PosixException($"fcntl(F_GETFD) on fd {fd} while looking for fds a child must not inherit", errno);
                }

                continue;
            }

            if ((flags & FD_CLOEXEC) == 0)
            {
                strays.Add(fd);
            }
        }

        return strays;
    }
}
