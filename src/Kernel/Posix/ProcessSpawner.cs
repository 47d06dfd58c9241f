using System.Text;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// Starts a program in a new process without forking managed code (docs/internals/posix.md#spawning-a-classic-vassal).
/// glibc's posix_spawn clones with CLONE_VM|CLONE_VFORK on its own stack, blocks every signal around the clone and runs
/// only libc code in the child until execve, so the runtime's other threads, its GC and its signal handlers never run
/// there.
/// </summary>
internal static unsafe class ProcessSpawner
{
    /// <summary>
    /// Spawns <see cref="SpawnRequest.Executable"/> and returns its pid; the caller reaps it (<see cref="ProcessHandle"/>).
    /// Throws <see cref="PosixException"/> naming the executable when it cannot be started (ENOENT, EACCES, a
    /// closed inherited fd: EBADF, a missing working directory...).
    /// </summary>
    public static int Spawn(SpawnRequest request)
    {
        if (!Path.IsPathFullyQualified(request.Executable))
        {
            throw new ArgumentException($"The executable '{request.Executable}' is not an absolute path", nameof(request));
        }

        if (request.Arguments.Count == 0)
        {
            throw new ArgumentException($"The argv for '{request.Executable}' is empty: it must hold argv[0] at least", nameof(request));
        }

        using var argv = new NativeStringArray([.. request.Arguments.Select(argument => NulFree(argument, "argument"))]);
        using var environment = new NativeStringArray(SpawnEnvironment.Build(request.EnvironmentChanges));
        using var attributes = SpawnAttributes.Create(request.BlockControlledSignals ? ControlledSignals.Mask : 0);
        using var fileActions = SpawnFileActions.Create(request.InheritedFds, request.WorkingDirectory);
        byte[] path = [.. NulFree(request.Executable, "executable path"), 0];
        int pid;
        fixed (byte* pathPointer = path)
        {
            SpawnCalls.ThrowOnError(
                SpawnCalls.Spawn(&pid, pathPointer, fileActions.Pointer, attributes.Pointer, argv.Pointer, environment.Pointer),
                Describe(request));
        }

        return pid;
    }

    // posix_spawn reports a failed file action with the same errno as a failed exec (ENOENT for a missing working
    // directory): the message names everything that can fail.
    private static string Describe(SpawnRequest request)
        => $"posix_spawn({request.Executable})"
            + (request.InheritedFds.Count == 0 ? "" : $" inheriting fds {string.Join(", ", request.InheritedFds)}")
            + (request.WorkingDirectory is null ? "" : $" in {request.WorkingDirectory}");

    private static byte[] NulFree(string text, string what)
        => text.Contains('\0')
            ? throw new ArgumentException($"A spawn {what} contains a NUL character: '{text.Replace("\0", "\\0")}'")
            : Encoding.UTF8.GetBytes(text);
}
