namespace ForkServer.Kernel.Posix;

/// <summary>
/// What <see cref="ProcessSpawner.Spawn"/> starts: an executable, its full argv, the environment as changes over
/// this process's own, the fds the child keeps under the same numbers, its signal mask and working directory.
/// </summary>
/// <param name="Executable">Absolute path; no PATH search.</param>
/// <param name="Arguments">The full argv, argv[0] included (it need not be the executable's name).</param>
/// <param name="EnvironmentChanges">Applied over this process's native environment; a null value unsets the variable.</param>
/// <param name="InheritedFds">Fds that stay open in the child with the same numbers; every other fd of this process is close-on-exec.</param>
/// <param name="BlockControlledSignals">
/// True: the child starts with <see cref="ControlledSignals"/> blocked, as a ForkServer process wants them.
/// False: an empty mask, for a foreign program (uWSGI) that must receive its signals.
/// </param>
/// <param name="WorkingDirectory">The child's working directory; null keeps this process's.</param>
internal sealed record SpawnRequest(
    string Executable,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string?> EnvironmentChanges,
    IReadOnlyList<int> InheritedFds,
    bool BlockControlledSignals,
    string? WorkingDirectory = null);
