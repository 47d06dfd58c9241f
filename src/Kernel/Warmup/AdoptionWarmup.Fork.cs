using System.Runtime.CompilerServices;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Warmup;

internal sealed partial class AdoptionWarmup
{
    // The parent side of a fork (thread census, hand-off, reaping) is what the base runs for every adoption and
    // each adopted master for every worker: one fork here, so that the first adoption is not slower than the rest.
    private void RehearseFork()
    {
        // The exit of a forked intermediate (and of the rehearsal's child) is the one call no parent makes: compiled
        // here, every intermediate inherits it instead of JIT-compiling it while its grandchild starts.
        RuntimeHelpers.PrepareMethod(((Action<int>)ProcessCalls.ExitImmediately).Method.MethodHandle);

        int pid = ProcessForker.Fork(static () => 0);
        if (ProcessCalls.WaitForExit(pid, ProcessForker.HandOffTimeout) is null)
        {
            ProcessCalls.KillAndReap(pid, ProcessForker.HandOffTimeout);
            Log.ForkChildStuck(_log, pid, ProcessForker.HandOffTimeout.TotalSeconds);
        }
    }
}
