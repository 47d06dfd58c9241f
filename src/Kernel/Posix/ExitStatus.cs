namespace ForkServer.Kernel.Posix;

/// <summary>How a reaped process ended: exactly one of <see cref="ExitCode"/> and <see cref="Signal"/> is set.</summary>
internal readonly record struct ExitStatus(int? ExitCode, int? Signal)
{
    // si_code values of a CLD_* siginfo (waitid).
    private const int ChildExited = 1;
    private const int ChildKilled = 2;
    private const int ChildDumped = 3;

    public static ExitStatus Exited(int code) => new(code, null);

    public static ExitStatus Killed(int signal) => new(null, signal);

    /// <summary>Decodes a waitpid() status word (WIFEXITED/WEXITSTATUS/WTERMSIG).</summary>
    public static ExitStatus FromWaitStatus(int status)
    {
        int termSignal = status & 0x7f;
        return termSignal == 0
            ? Exited((status >> 8) & 0xff)
            : termSignal != 0x7f
                ? Killed(termSignal)
                : throw new ArgumentException($"Wait status 0x{status:x} is a stopped process, not an exit", nameof(status));
    }

    /// <summary>Decodes the si_code/si_status pair that waitid() reports.</summary>
    public static ExitStatus FromChildSigInfo(int code, int status) => code switch
    {
        ChildExited => Exited(status),
        ChildKilled or ChildDumped => Killed(status),
        _ => throw new ArgumentException($"siginfo si_code {code} is not an exit (CLD_EXITED/KILLED/DUMPED)", nameof(code)),
    };

    public override string ToString() => Signal is int signal
        ? $"signal {signal} ({SignalNames.Of(signal)})"
        : $"exit code {ExitCode}";
}
