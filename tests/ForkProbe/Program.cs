using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;

namespace ForkProbe;

/// <summary>
/// Exercises the kernel's fork primitive and POSIX layer from a clean process (the test host has thread-pool
/// threads and cannot fork) and prints one JSON line of results for the Kernel tests.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // Like the kernel: before anything else, so every runtime thread blocks the controlled signals.
        ForkReadyStart.Ensure();

        object report = args switch
        {
            ["stress", var count] => StressCommand.Run(int.Parse(count)),
            ["refuse"] => RefuseCommand.Run(),
            ["detached"] => DetachedCommand.Run(),
            ["signals"] => SignalsCommand.Run(),
            ["credentials"] => CredentialsCommand.Run(),
            ["reap"] => ReapCommand.Run(),
            _ => new { error = "usage: ForkProbe stress N | refuse | detached | signals | credentials | reap" },
        };
        ProbeOutput.WriteLine(report);
        return 0;
    }
}
