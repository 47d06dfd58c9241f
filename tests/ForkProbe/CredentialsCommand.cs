using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkProbe;

/// <summary>Resolves user/group names and ids; as root, forks a child that drops to nobody:nogroup and reports its ids.</summary>
internal static class CredentialsCommand
{
    private const uint Nobody = 65534;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static object Run()
    {
        var root = Credentials.Resolve("root", "root");
        var nobody = Credentials.Resolve("nobody", "nogroup");
        var numeric = Credentials.Resolve("1234", "4321");
        var current = Credentials.Resolve(null, null);
        string unknownUser = ErrorOf(() => Credentials.Resolve("no-such-user-fs", null));
        string unknownGroup = ErrorOf(() => Credentials.Resolve(null, "no-such-group-fs"));

        bool isRoot = geteuid() == 0;
        string? dropped = null;
        string? dropExit = null;
        if (isRoot)
        {
            using var report = ForkPipe.Create("dropped credentials");
            int pid = ProcessForker.Fork(() =>
            {
                Credentials.Drop(Nobody, Nobody);
                ProbeOutput.WriteAll(report.WriteFd, string.Join("\n", File.ReadLines("/proc/self/status").Where(l => l.StartsWith("Uid:") || l.StartsWith("Gid:") || l.StartsWith("Groups:"))));
                return 0;
            });
            report.CloseWriteEnd();
            dropped = ProbeOutput.ReadToEnd(report, Timeout);
            var status = ProcessCalls.WaitForExit(pid, Timeout);
            if (status is null)
            {
                ProcessCalls.Kill(pid, SIGKILL);
                ProcessCalls.WaitForExit(pid, Timeout);
            }

            dropExit = status?.ToString() ?? "hung (killed)";
        }

        return new
        {
            command = "credentials",
            root = new[] { root.Uid, root.Gid },
            nobody = new[] { nobody.Uid, nobody.Gid },
            numeric = new[] { numeric.Uid, numeric.Gid },
            current = new[] { current.Uid, current.Gid },
            unknownUser,
            unknownGroup,
            isRoot,
            dropped,
            dropExit,
        };
    }

    private static string ErrorOf(Action action)
    {
        try
        {
            action();
            return "no error";
        }
        catch (Exception exception)
        {
            return $"{exception.GetType().Name}: {exception.Message}";
        }
    }
}
