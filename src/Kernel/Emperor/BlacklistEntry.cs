namespace ForkServer.Kernel.Emperor;

/// <summary>One blacklisted vassal: how long it waits now, and its failures (stats <c>blacklist</c>).</summary>
internal sealed class BlacklistEntry(string name, long firstAttempt)
{
    public string Name { get; } = name;

    public TimeSpan Delay { get; set; }

    public int Attempt { get; set; }

    /// <summary>Unix seconds.</summary>
    public long FirstAttempt { get; } = firstAttempt;

    /// <summary>Unix seconds.</summary>
    public long LastAttempt { get; set; }
}
