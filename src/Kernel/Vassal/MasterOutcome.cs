namespace ForkServer.Kernel.Vassal;

/// <summary>Why a vassal's master stopped supervising: what the process does next.</summary>
internal enum MasterOutcome
{
    /// <summary>Stopped by a signal or by the Emperor: exit 0.</summary>
    Stopped,

    /// <summary>The Emperor asked for a reload: re-execute in place (same pid), re-reading the config.</summary>
    Reload,

    /// <summary>The Emperor's control socket closed (the Emperor died): exit 1.</summary>
    EmperorLost,
}
