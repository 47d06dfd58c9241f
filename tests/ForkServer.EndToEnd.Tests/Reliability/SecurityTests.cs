using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// Who may ask the base for a process, whom an adopted vassal runs as, and what it holds. Refusing a peer of
/// another uid (SO_PEERCRED) is ForkServerBaseTests.A_peer_with_another_uid_is_refused; a classic vassal holding
/// no Emperor descriptor is EmperorTests.A_vassal_and_its_workers_hold_no_descriptor_of_the_emperor.
/// </summary>
public sealed class SecurityTests : IDisposable
{
    private readonly EmperorHarness _emperor;
    private readonly string _socket;

    public SecurityTests()
    {
        // A file socket (not @abstract): it has permissions to check, and must outlive every adoption.
        string folder = Directory.CreateTempSubdirectory("fs-sec-").FullName;
        _socket = Path.Combine(folder, "base.sock");
        _emperor = new EmperorHarness("--emperor-use-fork-server", _socket, "--vassal-fork-base", "base.ini");
        _emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("seed_app.psgi")}\nfork-server = {_socket}\n");
        BasePid = int.Parse(_emperor.Server.WaitForLine(new Regex("fork server (\\d+) ready")).Groups[1].Value);
    }

    private int BasePid { get; }

    private static bool IsRoot => Environment.UserName == "root";

    public void Dispose()
    {
        _emperor.Dispose();
        Directory.Delete(Path.GetDirectoryName(_socket)!, recursive: true);
    }

    [Fact]
    public void The_fork_server_socket_is_private_to_its_owner_and_outlives_every_adoption()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_socket));
        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
        _emperor.WaitAccepting("one.ini");

        // The first adoption's child closes its copy of the listener: the file must stay for the next ones.
        Assert.True(File.Exists(_socket), "the socket file went away with the first adoption");
        _emperor.DropFile("two.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
        _emperor.WaitAccepting("two.ini");

        if (IsRoot)
        {
            // Another user cannot even connect (the base would refuse it anyway: SO_PEERCRED).
            using var client = ForkServerProcess.StartProgram("/usr/sbin/runuser", _emperor.Scratch, "-u", "nobody", "--", "perl", "-MSocket", "-e",
                $"socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die; connect($s, pack_sockaddr_un('{_socket}')) or print \"refused: $!\\n\"");
            client.WaitForLine(new Regex("^refused: Permission denied$"));
        }
    }

    [Fact]
    public async Task An_adopted_vassal_without_uid_runs_as_its_ini_owner_or_nobody_and_stays_root_only_when_told()
    {
        if (!IsRoot)
        {
            return; // the default applies to a root base; CI runs as root
        }

        int owned = Adopt("owned.ini", "", owner: 1001);
        int rootOwned = Adopt("rootowned.ini", "", owner: 0);
        int explicitRoot = Adopt("explicit.ini", "uid = root\n", owner: 0);

        foreach (var (master, uid) in new[] { (owned, "1001"), (rootOwned, "65534"), (explicitRoot, "0") })
        {
            _emperor.Server.WaitForLine(new Regex($"\\[pid {master}\\] master: all 2 worker"));
            foreach (int process in ProcessTree.ChildrenOf(master).Prepend(master))
            {
                Assert.Equal($"{uid}\t{uid}\t{uid}\t{uid}", ProcessTree.StatusField(process, "Uid"));
                if (uid != "0")
                {
                    Assert.Equal("", ProcessTree.StatusField(process, "Groups"));
                }
            }

            // The app, loaded as root in the base, serves only after the drop: it sees the new uid.
            using var client = Http.Client(_emperor.PortOf(master));
            Assert.Contains($" uid {uid} ", (await Http.GetFresh(client, "")).Body);
        }

        _emperor.Server.WaitForLine(new Regex($"\\[pid {owned}\\] vassal: privileges dropped to uid 1001 gid 1001: no uid set: running as .*owned.ini's owner"));
        _emperor.Server.WaitForLine(new Regex($"\\[pid {rootOwned}\\] vassal: privileges dropped to uid 65534 gid 65534: .*owned by root: running as nobody"));
        _emperor.Server.WaitForLine(new Regex($"\\[pid {explicitRoot}\\] vassal: staying root: .*explicit.ini:\\d+ says uid = root"));
    }

    [Fact]
    public void No_descriptor_of_the_emperor_or_the_base_reaches_an_adopted_vassal_or_its_workers()
    {
        _emperor.DropFile("one.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 2\n");
        _emperor.DropFile("two.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
        int master = _emperor.WaitAccepting("one.ini");
        int second = _emperor.WaitAccepting("two.ini");
        _emperor.Server.WaitForLine(new Regex($"\\[pid {master}\\] master: all 2 worker"));
        _emperor.Server.WaitForLine(new Regex($"\\[pid {second}\\] master: all 1 worker"));

        // Dropped together, the second request comes before the base has forked its next spare: it forks one while
        // that request's fds are open in the base, and the spare must not keep the copies it inherits.
        var foreign = Descriptors.Of(_emperor.Server.Pid).Sockets.Concat(Descriptors.Of(BasePid).Sockets).ToHashSet();
        var masters = new[] { master, second };
        foreach (int process in masters.SelectMany(m => ProcessTree.ChildrenOf(m).Prepend(m)))
        {
            var held = Descriptors.Of(process);

            // Its HTTP listener, and in the master its end of the control socket (Reliability/EmperorChannelTests);
            // nothing of the Emperor's (its end of every control socket, stats) or the base's (fork-server listener,
            // its own control socket).
            Assert.Equal(masters.Contains(process) ? 2 : 1, held.Sockets.Count);
            Assert.Empty(held.Sockets.Intersect(foreign));

            // Its own loop and signals only: no second epoll or signalfd (the base's), no inotify or timer (the
            // Emperor's), and pidfds only for its own children.
            Assert.Equal(1, held.Count("anon_inode:[eventpoll]"));
            Assert.Equal(1, held.Count("anon_inode:[signalfd]"));
            Assert.Equal(0, held.Count("anon_inode:inotify") + held.Count("anon_inode:[timerfd]"));
            Assert.All(held.PidfdTargets, target => Assert.Equal(process, ProcessTree.ParentOf(target)));
        }
    }

    /// <summary>Writes an ini owned by <paramref name="owner"/> beside the folder, then moves it in; returns the adopted pid.</summary>
    private int Adopt(string name, string extra, int owner)
    {
        string staging = Path.Combine(_emperor.Scratch, name);
        File.WriteAllText(staging, $"[uwsgi]\nhttp-socket = 127.0.0.1:0\nprocesses = 2\n{extra}");
        Chown(staging, owner);
        File.Move(staging, Path.Combine(_emperor.VassalDirectory, name));
        return _emperor.WaitAccepting(name);
    }

    private static unsafe void Chown(string path, int owner)
    {
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
        {
            Assert.Equal(0, Tmds.Linux.LibC.chown(p, (uint)owner, (uint)owner));
        }
    }
}
