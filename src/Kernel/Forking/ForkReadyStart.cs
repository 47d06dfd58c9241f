using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Forking;

/// <summary>
/// Makes a freshly started ForkServer process fit to fork, re-executing it once (same pid, same argv) when
/// something can only be set before the runtime starts. Call it first thing in Main.
/// </summary>
/// <remarks>
/// What needs the restart:
/// <list type="bullet">
/// <item>The controlled signals must be blocked in every thread, the runtime's own included, so that a signalfd
/// receives them; a mask blocked before execve is inherited by every thread of the new image.</item>
/// <item>SIGCHLD must not be ignored, or the kernel reaps children itself and no exit status survives.</item>
/// <item><c>DOTNET_EnableDiagnostics=0</c>: the diagnostics threads (EventPipe, debugger) cannot be turned off
/// from runtimeconfig, and the fork primitive refuses to fork while they exist.</item>
/// <item><c>DOTNET_GCgen0size</c> (unless the user set it): every forked process dirties its whole gen0 budget,
/// which the GC sizes from the CPU cache; 4 MiB cut the private memory of a hello-world worker from 21 MB to 9 MB
/// with no loss of throughput (bench/hello-throughput.sh).</item>
/// </list>
/// The variables are inherited by what the process starts, which is what ForkServer wants for its vassals.
/// </remarks>
internal static class ForkReadyStart
{
    private const string DiagnosticsVariable = "DOTNET_EnableDiagnostics";
    private const string Gen0SizeVariable = "DOTNET_GCgen0size";
    private const string DefaultGen0Size = "0x400000";

    public static void Ensure()
    {
        bool restarted = ProcessImage.ConsumeRestartMarker();
        var environmentChanges = new Dictionary<string, string>();
        if (Environment.GetEnvironmentVariable(DiagnosticsVariable) != "0")
        {
            environmentChanges[DiagnosticsVariable] = "0";
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Gen0SizeVariable)))
        {
            environmentChanges[Gen0SizeVariable] = DefaultGen0Size;
        }

        bool childExitsIgnored = ProcessImage.IsChildSignalIgnored();
        if (ControlledSignals.AreBlockedInCurrentThread() && !childExitsIgnored && environmentChanges.Count == 0)
        {
            return;
        }

        if (restarted)
        {
            throw new InvalidOperationException(
                "This process was restarted to block the controlled signals, restore SIGCHLD and set the runtime's "
                + "environment, and still lacks one of them: something in start-up changes the signal mask, "
                + "SIGCHLD's disposition or the environment.");
        }

        if (childExitsIgnored)
        {
            ProcessImage.SetChildSignalDefault();
        }

        ControlledSignals.BlockInCurrentThread();
        ProcessImage.Restart(environmentChanges);
    }
}
