using System.Runtime.Versioning;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>Spawns real /bin/sh children and checks what they saw: argv, environment, directory, errors, reaping.</summary>
public sealed class ProcessSpawnerTests : IDisposable
{
    private const int ENOENT = 2;
    private const int EBADF = 9;
    private const int EACCES = 13;
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, string?> NoChanges = new Dictionary<string, string?>();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("forkserver-spawn-");

    private string Output => Path.Combine(_scratch.FullName, "out");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public void Argv_reaches_the_child_exactly()
    {
        // $$ is the shell itself: its cmdline is the argv posix_spawn passed, argv[0] included.
        string[] argv = ["vassal: argv zero", "-c", $"/bin/cat /proc/$$/cmdline > '{Output}'", "two  spaces", "ünïcødé €✓", "", "quote\"d"];
        Run(Shell(argv));
        Assert.Equal(argv, NulSeparated(File.ReadAllBytes(Output)));
    }

    [Fact]
    public void Environment_changes_are_applied_over_this_process_environment()
    {
        var changes = new Dictionary<string, string?>
        {
            ["FORKSERVER_SPAWN_ADDED"] = "a value with spaces é",
            ["HOME"] = "/nonexistent-home",
            ["PATH"] = null,
        };
        Run(Shell(["sh", "-c", $"/bin/cat /proc/$$/environ > '{Output}'"], changes));

        var seen = NulSeparated(File.ReadAllBytes(Output));
        Assert.Contains("FORKSERVER_SPAWN_ADDED=a value with spaces é", seen);
        Assert.Contains("HOME=/nonexistent-home", seen);
        Assert.DoesNotContain(seen, entry => entry.StartsWith("PATH=", StringComparison.Ordinal));
        var untouched = NulSeparated(File.ReadAllBytes("/proc/self/environ"))
            .Where(entry => !entry.StartsWith("PATH=", StringComparison.Ordinal) && !entry.StartsWith("HOME=", StringComparison.Ordinal));
        Assert.All(untouched, entry => Assert.Contains(entry, seen));
    }

    [Fact]
    public void The_child_starts_in_the_working_directory()
    {
        string directory = _scratch.CreateSubdirectory("vassal dir ✓").FullName;
        Run(Shell(["sh", "-c", "/bin/pwd -P > out"]) with { WorkingDirectory = directory });
        Assert.Equal(directory, File.ReadAllText(Path.Combine(directory, "out")).TrimEnd('\n'));
    }

    [Fact]
    public void A_missing_executable_is_reported_with_its_path()
    {
        var error = Assert.Throws<PosixException>(() => ProcessSpawner.Spawn(new("/nonexistent/forkserver-vassal", ["vassal"], NoChanges, [], false)));
        Assert.Equal(ENOENT, error.Errno);
        Assert.Contains("/nonexistent/forkserver-vassal", error.Message);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void A_file_without_execute_permission_is_reported_with_its_path()
    {
        File.WriteAllText(Output, "#!/bin/sh\n");
        File.SetUnixFileMode(Output, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var error = Assert.Throws<PosixException>(() => ProcessSpawner.Spawn(new(Output, ["vassal"], NoChanges, [], false)));
        Assert.Equal(EACCES, error.Errno);
        Assert.Contains(Output, error.Message);
    }

    [Fact]
    public void A_missing_working_directory_fails_the_spawn_and_is_named()
    {
        string missing = Path.Combine(_scratch.FullName, "missing");
        var error = Assert.Throws<PosixException>(() => ProcessSpawner.Spawn(Shell(["sh", "-c", "exit 0"]) with { WorkingDirectory = missing }));
        Assert.Equal(ENOENT, error.Errno);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Inheriting_a_closed_fd_fails_the_spawn_and_names_the_fd()
    {
        const int closedFd = 900; // far above anything a test process opens
        var error = Assert.Throws<PosixException>(() => ProcessSpawner.Spawn(Shell(["sh", "-c", "exit 0"]) with { InheritedFds = [closedFd] }));
        Assert.Equal(EBADF, error.Errno);
        Assert.Contains("/bin/sh", error.Message);
        Assert.Contains(closedFd.ToString(), error.Message);
    }

    [Fact]
    public void Relative_executables_and_empty_argv_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ProcessSpawner.Spawn(new("sh", ["sh"], NoChanges, [], false)));
        Assert.Throws<ArgumentException>(() => ProcessSpawner.Spawn(new("/bin/sh", [], NoChanges, [], false)));
        Assert.Throws<ArgumentException>(() => ProcessSpawner.Spawn(Shell(["sh", "-c", "exit 0"], new Dictionary<string, string?> { ["A=B"] = "c" })));
    }

    [Fact]
    public void Two_hundred_children_in_a_row_are_all_reaped_with_their_exit_codes()
    {
        var children = new List<(ProcessHandle Handle, int ExitCode)>();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                int exitCode = i % 101;
                children.Add((ProcessHandle.Open(ProcessSpawner.Spawn(Shell(["sh", "-c", $"exit {exitCode}"]))), exitCode));
            }

            Assert.All(children, child => Assert.Equal(ExitStatus.Exited(child.ExitCode), child.Handle.WaitForExit(ExitTimeout)));
            Assert.DoesNotContain(children, child => IsZombieChild(child.Handle.Pid));
        }
        finally
        {
            children.ForEach(child => child.Handle.Dispose());
        }
    }

    [Fact]
    public void Spawning_from_several_threads_while_the_collector_runs_is_safe()
    {
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.KeepAlive(new byte[64 * 1024]);
                GC.Collect();
            }
        });
        collector.Start();
        var failures = new List<string>();
        var spawners = Enumerable.Range(0, 4).Select(thread => new Thread(() =>
        {
            for (int i = 0; i < 25; i++)
            {
                using var handle = ProcessHandle.Open(ProcessSpawner.Spawn(Shell(["sh", "-c", $"exit {thread + 1}"])));
                var status = handle.WaitForExit(ExitTimeout);
                if (status != ExitStatus.Exited(thread + 1))
                {
                    lock (failures)
                    {
                        failures.Add($"thread {thread} child {i}: {status?.ToString() ?? "did not exit"}");
                    }
                }
            }
        })).ToList();
        spawners.ForEach(spawner => spawner.Start());
        Assert.All(spawners, spawner => Assert.True(spawner.Join(ExitTimeout * 2)));
        stop.Cancel();
        Assert.True(collector.Join(ExitTimeout));
        Assert.Empty(failures);
    }

    private static SpawnRequest Shell(string[] argv, IReadOnlyDictionary<string, string?>? changes = null)
        => new("/bin/sh", argv, changes ?? NoChanges, [], BlockControlledSignals: false);

    private static void Run(SpawnRequest request)
    {
        using var handle = ProcessHandle.Open(ProcessSpawner.Spawn(request));
        Assert.Equal(ExitStatus.Exited(0), handle.WaitForExit(ExitTimeout));
    }

    private static string[] NulSeparated(byte[] block)
        => System.Text.Encoding.UTF8.GetString(block).Split('\0')[..^1];

    private static bool IsZombieChild(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false; // gone: reaped
        }

        // "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[0] == "Z" && fields[1] == Environment.ProcessId.ToString();
    }
}
