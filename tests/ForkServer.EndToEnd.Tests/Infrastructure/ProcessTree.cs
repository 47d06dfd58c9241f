using System.Runtime.InteropServices;

namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>Reads the process tree from /proc and signals processes, for checks and clean-up.</summary>
internal static partial class ProcessTree
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGTERM = 15;

    public static void Signal(int pid, int signal) => kill(pid, signal);

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat") && State(pid) != 'Z';

    /// <summary>The parent pid from /proc/&lt;pid&gt;/stat, or -1 when the process is gone.</summary>
    public static int ParentOf(int pid) => Stat(pid) is { } fields ? int.Parse(fields[1]) : -1;

    public static char State(int pid) => Stat(pid) is { } fields ? fields[0][0] : '?';

    public static IReadOnlyList<int> ChildrenOf(int pid)
        => AllPids().Where(p => ParentOf(p) == pid).ToList();

    public static IReadOnlyList<int> DescendantsOf(int pid)
    {
        var result = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.Count > 0)
        {
            foreach (int child in ChildrenOf(queue.Dequeue()))
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>The TCP sockets in LISTEN state that <paramref name="pid"/> holds, as "address:port" in /proc's hex.</summary>
    public static IReadOnlyList<string> ListeningTcpSockets(int pid)
    {
        var inodes = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Where(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(target => target!["socket:[".Length..^1])
            .ToHashSet();

        // /proc/net/tcp: "sl local_address rem_address st ... uid timeout inode"; st 0A is LISTEN.
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .SelectMany(File.ReadLines)
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9 && fields[3] == "0A" && inodes.Contains(fields[9]))
            .Select(fields => fields[1])
            .ToList();
    }

    /// <summary>A line of /proc/&lt;pid&gt;/status such as <c>Uid</c>, without its label.</summary>
    public static string StatusField(int pid, string name)
        => File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    /// <summary>Waits (bounded) until the process has exited; a pidfd works for any process, not only children.</summary>
    public static unsafe bool WaitUntilGone(int pid, TimeSpan timeout)
    {
        int fd = (int)syscall(434 /* pidfd_open */, pid, 0);
        if (fd < 0)
        {
            return true; // ESRCH: already gone
        }

        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var pollFd = new PollFd { Fd = fd, Events = 1 /* POLLIN */ };
                int left = (int)Math.Max(0, (deadline - DateTime.UtcNow).TotalMilliseconds);
                int ready = poll(&pollFd, 1, left);

                // EINTR: the runtime's own signals (GC suspension) interrupt poll in the test host.
                if (ready >= 0 || Marshal.GetLastPInvokeError() != 4 || left == 0)
                {
                    return ready == 1;
                }
            }
        }
        finally
        {
            close(fd);
        }
    }

    private static IEnumerable<int> AllPids()
        => Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(n => n!.All(char.IsAsciiDigit))
            .Select(n => int.Parse(n!));

    // Fields after "(comm)": state, ppid, ...
    private static string[]? Stat(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long arg1, long arg2);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
