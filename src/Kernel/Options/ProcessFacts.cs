using System.Globalization;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Options;

/// <summary>
/// uWSGI's magic variables that describe the process rather than a file: <c>%v %h %t %T %V %k %u %U %g %G %[</c>.
/// The clock is read once per reading so that every <c>%t</c> of one configuration is the same; the names are
/// looked up only when asked for.
/// </summary>
internal sealed class ProcessFacts
{
    private readonly string _workingDirectory;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private string? _hostName;
    private string? _userName;
    private string? _groupName;

    /// <param name="workingDirectory">What <c>%v</c> says: the directory the configuration is read from.</param>
    public ProcessFacts(string workingDirectory)
    {
        _workingDirectory = Path.TrimEndingDirectorySeparator(workingDirectory);
    }

    /// <summary>The value of <c>%</c><paramref name="name"/>, or <c>null</c> when it is not a process variable.</summary>
    public string? Get(char name) => name switch
    {
        'v' => _workingDirectory,
        'h' => _hostName ??= System.Net.Dns.GetHostName(),
        't' => _startedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        'T' => ((_startedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond).ToString(CultureInfo.InvariantCulture),
        'V' => typeof(ProcessFacts).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        'k' => Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        'u' => ProcessCalls.GetUid().ToString(CultureInfo.InvariantCulture),
        'U' => _userName ??= AccountNames.UserName(ProcessCalls.GetUid()) ?? Get('u')!,
        'g' => ProcessCalls.GetGid().ToString(CultureInfo.InvariantCulture),
        'G' => _groupName ??= AccountNames.GroupName(ProcessCalls.GetGid()) ?? Get('g')!,
        '[' => "\u001b",
        _ => null,
    };
}
