namespace ForkServer.Kernel.Posix;

/// <summary>Symbolic names of the Linux signal numbers, for logs and exit reports.</summary>
internal static class SignalNames
{
    // Index = signal number on x86_64 and arm64 (the generic Linux numbering).
    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>"SIGTERM" for 15; "SIGRTMIN+n" for real-time signals; "signal n" otherwise.</summary>
    public static string Of(int signal) => signal switch
    {
        > 0 when signal < Names.Length => Names[signal],
        >= 34 and <= 64 => $"SIGRTMIN+{signal - 34}",
        _ => $"signal {signal}",
    };
}
