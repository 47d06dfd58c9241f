using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;

namespace ForkProbe;

/// <summary>As a child subreaper, double-forks a grandchild and checks it is re-parented here and reaped with its code.</summary>
internal static class DetachedCommand
{
    private const int GrandchildExitCode = 42;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static object Run()
    {
        ProcessCalls.SetChildSubreaper();
        using var go = ForkPipe.Create("grandchild go");
        using var report = ForkPipe.Create("grandchild parent report");
        int grandchildPid = ProcessForker.ForkDetached(() =>
        {
            // Ask for the parent only once the intermediate has been reaped, or it could still be the parent.
            if (!go.WaitReadable(Timeout))
            {
                return 98;
            }

            report.WriteInt32(ProcessCalls.GetParentPid());
            return GrandchildExitCode;
        });

        go.WriteInt32(0);
        int? grandchildParent = report.WaitReadable(Timeout) ? report.ReadInt32() : null;
        var status = ProcessCalls.WaitForExit(grandchildPid, Timeout);
        if (status is null)
        {
            ProcessCalls.Kill(grandchildPid, Tmds.Linux.LibC.SIGKILL);
            ProcessCalls.WaitForExit(grandchildPid, Timeout);
        }

        return new
        {
            command = "detached",
            probePid = ProcessCalls.GetPid(),
            grandchildPid,
            grandchildParent,
            exit = status?.ToString() ?? "hung (killed)",
            exitCode = status?.ExitCode,
            expectedExitCode = GrandchildExitCode,
        };
    }
}
