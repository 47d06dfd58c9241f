namespace ForkServer.Abstractions;

/// <summary>When an <see cref="IEarlyLoader"/> is asked to load.</summary>
public enum LoadPhase
{
    /// <summary>
    /// Right after the options are parsed, before sockets or workers exist (<c>early-psgi</c>). In a fork-server
    /// base this is the only phase: what loads here is shared by every adopted vassal.
    /// </summary>
    Early,

    /// <summary>In a vassal's master, after its own options are applied, before workers are forked (<c>psgi</c>).</summary>
    Master,
}
