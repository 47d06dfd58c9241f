using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// Only a vassal's master holds its control socket to the Emperor: its workers run the application, which could
/// otherwise read the Emperor's commands before the master or send reports in the vassal's name. The workers report
/// to the master, which passes on what the Emperor must know (accepting, loyal). Classic and adopted vassals both,
/// and the processes a base forks ahead of time (the spare and its spare worker) hold nothing they should not.
/// </summary>
public sealed class EmperorChannelTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task No_worker_holds_the_control_socket_and_the_emperor_still_hears_accepting_and_loyal(bool adopted)
    {
        string socket = "@forkserver-channel-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = adopted
            ? new EmperorHarness("--emperor-use-fork-server", socket, "--vassal-fork-base", "base.ini")
            : new EmperorHarness();
        if (adopted)
        {
            emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("info.psgi")}\nfork-server = {socket}\n");
            emperor.Server.WaitForLine(new Regex("fork server \\d+ ready"));
            emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 2\n");
        }
        else
        {
            emperor.DropVassal("one.ini", "info.psgi", "processes = 2");
        }

        int master = emperor.WaitAccepting("one.ini");
        emperor.Server.WaitForLine(new Regex($"\\[pid {master}\\] master: all 2 worker"));
        string control = ControlSocketOf(master, adopted);
        string listener = Assert.Single(TcpListenersOf(master));

        var workers = ProcessTree.ChildrenOf(master);
        Assert.Equal(2, workers.Count);
        foreach (int worker in workers)
        {
            var fds = OpenFds(worker);
            Assert.DoesNotContain(control, fds.Values);
            AssertOnlyExpected(worker, fds, allowedSockets: [listener]);
        }

        // What the workers told the Emperor before, the master tells it now: worker 1 accepts (WaitAccepting above),
        // and a worker served its first response.
        using var client = Http.Client(emperor.PortOf(master));
        Assert.Equal(200, (await Http.GetFresh(client, "")).Status);
        emperor.Server.WaitForLine(new Regex($"vassal one.ini \\(pid {master}\\) is now loyal"));

        if (adopted)
        {
            AssertSparesHoldOnlyTheirChannels(emperor);
        }
    }

    /// <summary>
    /// The spare a base forks ahead of time, and its spare worker, hold their own channel ends and nothing of the
    /// Emperor, the base, or each other.
    /// </summary>
    private static void AssertSparesHoldOnlyTheirChannels(EmperorHarness emperor)
    {
        // The next spare is forked after the adoption; /proc says when it and its worker are there.
        int spare, spareWorker;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            spare = ProcessTree.ChildrenOf(emperor.Server.Pid).FirstOrDefault(p => Comm(p) == "fs spare");
            spareWorker = spare == 0 ? 0 : ProcessTree.ChildrenOf(spare).FirstOrDefault(p => Comm(p) == "fs spare-worker");
            if (spareWorker != 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "no spare with its spare worker appeared; output:\n" + emperor.Server.Output);
            Thread.Sleep(50);
        }

        int basePid = int.Parse(emperor.Server.WaitForLine(new Regex("fork server (\\d+) ready")).Groups[1].Value);
        var others = new[] { emperor.Server.Pid, basePid }.SelectMany(p => Sockets(OpenFds(p))).ToHashSet();
        var spareSockets = Sockets(OpenFds(spare));
        var workerSockets = Sockets(OpenFds(spareWorker));

        // The spare: its end of the spare channel and of the worker channel; the spare worker: its end of the latter.
        Assert.Equal(2, spareSockets.Count);
        Assert.Single(workerSockets);
        Assert.Empty(spareSockets.Intersect(others));
        Assert.Empty(workerSockets.Intersect(others).Concat(workerSockets.Intersect(spareSockets)));
        AssertOnlyExpected(spare, OpenFds(spare), allowedSockets: spareSockets, loops: 0);
        AssertOnlyExpected(spareWorker, OpenFds(spareWorker), allowedSockets: workerSockets, loops: 0);
    }

    /// <summary>
    /// Besides stdio: the <paramref name="allowedSockets"/>, <paramref name="loops"/> event loop(s) and signalfd(s),
    /// and what the runtime and the application opened (files, pipes). No pidfd, inotify, timer or other socket.
    /// </summary>
    private static void AssertOnlyExpected(int pid, Dictionary<int, string> fds, IReadOnlyCollection<string> allowedSockets, int loops = 1)
    {
        string all = $"pid {pid} ({Comm(pid)}) holds: {string.Join(", ", fds.Select(f => $"{f.Key} {f.Value}"))}";
        Assert.True(Sockets(fds).SetEquals(allowedSockets), all);
        Assert.True(loops == fds.Values.Count(t => t == "anon_inode:[eventpoll]"), all);
        Assert.True(loops == fds.Values.Count(t => t == "anon_inode:[signalfd]"), all);
        Assert.True(fds.Values.All(t => t.StartsWith("socket:", StringComparison.Ordinal) || t.StartsWith("pipe:", StringComparison.Ordinal)
            || t.StartsWith('/') || t is "anon_inode:[eventpoll]" or "anon_inode:[signalfd]"), all);
    }

    /// <summary>The master's end of its control socket: named by UWSGI_EMPEROR_FD when spawned, else its only unix socket.</summary>
    private static string ControlSocketOf(int master, bool adopted)
    {
        var fds = OpenFds(master);
        if (!adopted)
        {
            string environ = File.ReadAllText($"/proc/{master}/environ");
            int fd = int.Parse(environ.Split('\0').Single(v => v.StartsWith("UWSGI_EMPEROR_FD=", StringComparison.Ordinal))["UWSGI_EMPEROR_FD=".Length..]);
            return fds[fd];
        }

        // An adopted master got it from the Emperor through the base (SCM_RIGHTS): its sockets are that one and its
        // TCP listener.
        var tcp = TcpListenersOf(master);
        return Assert.Single(Sockets(fds), s => !tcp.Contains(s));
    }

    private static HashSet<string> TcpListenersOf(int pid)
    {
        // /proc/net/tcp: "sl local_address rem_address st ... inode"; st 0A is LISTEN.
        var listening = new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .SelectMany(File.ReadLines).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9 && fields[3] == "0A")
            .Select(fields => $"socket:[{fields[9]}]")
            .ToHashSet();
        return Sockets(OpenFds(pid)).Where(listening.Contains).ToHashSet();
    }

    private static Dictionary<int, string> OpenFds(int pid)
        => Directory.GetFiles($"/proc/{pid}/fd")
            .Select(fd => (Fd: int.Parse(Path.GetFileName(fd)), Target: new FileInfo(fd).LinkTarget))
            .Where(f => f.Target is not null && f.Fd > 2)
            .ToDictionary(f => f.Fd, f => f.Target!);

    private static HashSet<string> Sockets(Dictionary<int, string> fds)
        => fds.Values.Where(t => t.StartsWith("socket:", StringComparison.Ordinal)).ToHashSet();

    private static string Comm(int pid) => File.ReadAllText($"/proc/{pid}/comm").Trim();
}
