using System.Diagnostics;
using ForkServer.Kernel.Emperor.Monitoring;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Emperor.Monitoring;

/// <summary>
/// A temp root with a <c>vassals</c> folder, an <see cref="EventLoop"/> run on the test thread and a
/// <see cref="VassalMonitor"/> whose reports are collected in <see cref="Events"/>.
/// </summary>
internal sealed class MonitorHarness : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private readonly string _barrierPrefix;
    private int _barriers;

    /// <param name="spec">The monitor spec made from the vassals folder's path; that path itself when null.</param>
    /// <param name="createVassals">Whether the vassals folder exists from the start.</param>
    /// <param name="onChange">Called after each report is recorded.</param>
    /// <param name="barrierPrefix">Name prefix of the barrier files of <see cref="Drain"/> (must pass the spec's glob).</param>
    public MonitorHarness(Func<string, string>? spec = null, bool createVassals = true, Action<VassalFileEvent>? onChange = null, string barrierPrefix = "zz-barrier-")
    {
        Root = Directory.CreateTempSubdirectory("forkserver-monitor-").FullName;
        Vassals = Path.Join(Root, "vassals");
        if (createVassals)
        {
            Directory.CreateDirectory(Vassals);
        }

        _barrierPrefix = barrierPrefix;
        Loop = new EventLoop();
        Monitor = new VassalMonitor(
            Loop,
            spec?.Invoke(Vassals) ?? Vassals,
            e =>
            {
                Events.Add(e);
                onChange?.Invoke(e);
            },
            Logger);
    }

    public string Root { get; }

    public string Vassals { get; }

    public EventLoop Loop { get; }

    public RecordingLogger Logger { get; } = new();

    public VassalMonitor Monitor { get; }

    /// <summary>Every report, barriers included.</summary>
    public List<VassalFileEvent> Events { get; } = new();

    /// <summary>The reports that are not about barrier files, as (change, instance name).</summary>
    public List<(VassalFileChange Change, string Name)> Reported
        => Events.Where(e => !Path.GetFileName(e.Name).StartsWith(_barrierPrefix, StringComparison.Ordinal))
            .Select(e => (e.Change, e.Name))
            .ToList();

    public string PathOf(string name) => Path.Join(Vassals, name);

    public string Write(string name, string content = "[uwsgi]\nsocket = :0\n")
    {
        string path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs the loop until <paramref name="condition"/> holds of the reports; fails after 5 s.</summary>
    public void WaitFor(Func<List<VassalFileEvent>, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(Events))
        {
            Assert.True(clock.Elapsed < Deadline, $"Timed out waiting for {what}; reported: {string.Join(", ", Events.Select(e => $"{e.Change} {e.Name}"))}");
            Loop.RunOnce(50);
        }
    }

    public void WaitFor(VassalFileChange change, string name)
        => WaitFor(events => events.Any(e => e.Change == change && e.Name == name), $"{change} {name}");

    /// <summary>
    /// Drops a barrier vassal file and waits for its Added. inotify delivers in order, so every report caused by
    /// an earlier change has been made by then: what is not in <see cref="Events"/> now will not come.
    /// </summary>
    public void Drain()
    {
        string name = $"{_barrierPrefix}{++_barriers}.ini";
        string path = Write(name);
        WaitFor(events => events.Any(e => e.Change == VassalFileChange.Added && e.Path == path), $"barrier {name}");
    }

    public void Dispose()
    {
        Monitor.Dispose();
        Loop.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
