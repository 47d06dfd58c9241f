namespace ForkServer.Abstractions;

/// <summary>What a freshly forked process is about to become.</summary>
public enum ForkedProcessRole
{
    /// <summary>A worker forked by a vassal's master; it will serve requests.</summary>
    Worker,

    /// <summary>A vassal master forked from a fork-server base; it will fork its own workers.</summary>
    AdoptedMaster,
}
