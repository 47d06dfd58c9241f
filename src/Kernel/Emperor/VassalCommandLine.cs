using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;

namespace ForkServer.Kernel.Emperor;

/// <summary>
/// What the Emperor executes for a classic vassal (docs/protocol.md#vassal-arguments): the binary
/// (<c>emperor-wrapper</c>, else ForkServer itself), <c>--ini</c> and the instance name, run in the vassal directory
/// for a directory monitor (so that relative paths in the ini resolve as under uWSGI's Emperor, which chdirs there).
/// </summary>
internal sealed class VassalCommandLine
{
    private readonly IReadOnlyList<string> _prefix;

    public VassalCommandLine(string? wrapper)
    {
        IsForkServer = wrapper is null;
        _prefix = wrapper is null ? SelfPrefix() : [wrapper];
    }

    /// <summary>True when vassals run this very program, which can start with its signals already blocked.</summary>
    public bool IsForkServer { get; }

    /// <summary>The spawn request for <paramref name="vassal"/>, handing it <paramref name="controlFd"/>.</summary>
    public SpawnRequest For(VassalInstance vassal, int controlFd)
    {
        bool fromDirectory = !Path.IsPathRooted(vassal.Name);
        var arguments = Arguments(vassal);
        var environment = new Dictionary<string, string?>
        {
            [EmperorLink.FdVariable] = controlFd.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["UWSGI_RELOADS"] = null,
            ["NOTIFY_SOCKET"] = null,
        };
        return new SpawnRequest(
            _prefix[0],
            arguments,
            environment,
            [controlFd],
            BlockControlledSignals: IsForkServer,
            WorkingDirectory: fromDirectory ? Path.GetDirectoryName(vassal.ConfigPath) : null);
    }

    /// <summary>
    /// The vassal's argv, identical for a spawn and an adoption request (docs/protocol.md#vassal-arguments).
    /// </summary>
    public List<string> Arguments(VassalInstance vassal) => [.. _prefix, "--ini", vassal.Name];

    // Under `dotnet forkserver.dll` the process is the dotnet host: the vassal needs the host and the assembly.
    private static IReadOnlyList<string> SelfPrefix()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown");
        return Path.GetFileName(process) == "dotnet"
            ? [process, typeof(VassalCommandLine).Assembly.Location]
            : [process];
    }
}
