using ForkServer.Kernel.Emperor.Monitoring;

namespace ForkServer.Kernel.Tests.Emperor.Monitoring;

/// <summary>The watched directory itself: globs, its removal and re-creation, and rescans.</summary>
public sealed class VassalMonitorDirectoryTests
{
    private const VassalFileChange Added = VassalFileChange.Added;
    private const VassalFileChange Modified = VassalFileChange.Modified;
    private const VassalFileChange Removed = VassalFileChange.Removed;

    [Fact]
    public void A_glob_reports_only_matching_vassal_files_by_absolute_path()
    {
        using var h = new MonitorHarness(spec: vassals => $"glob://{vassals}/[ab]?*.ini", barrierPrefix: "b-barrier-");
        h.Write("a1.ini");
        h.Write("c1.ini");
        h.Write("a.ini");
        h.Monitor.Start();

        h.Write("ab.ini");
        h.Write("bx.txt");
        h.Write("zz.ini");
        h.Drain();

        Assert.Equal([(Added, h.PathOf("a1.ini")), (Added, h.PathOf("ab.ini"))], h.Reported);
        Assert.All(h.Events, e => Assert.Equal(e.Name, e.Path));
        Assert.Equal($"glob://{h.Vassals}/[ab]?*.ini", h.Monitor.Spec);
    }

    [Fact]
    public void A_path_with_wildcards_is_a_glob()
    {
        using var h = new MonitorHarness(spec: vassals => Path.Join(vassals, "a*.ini"), barrierPrefix: "a-barrier-");
        h.Write("a1.ini");
        h.Write("b1.ini");

        h.Monitor.Start();

        Assert.Equal([(Added, h.PathOf("a1.ini"))], h.Reported);
    }

    [Fact]
    public void A_removed_directory_removes_every_vassal_and_its_re_creation_adds_them_back()
    {
        using var h = new MonitorHarness(spec: vassals => "dir://" + vassals);
        h.Write("a.ini");
        h.Write("b.ini");
        h.Monitor.Start();

        Directory.Delete(h.Vassals, recursive: true);
        h.WaitFor(events => events.Count(e => e.Change == Removed) == 2, "both Removed");
        Assert.Empty(h.Monitor.Known);

        Directory.CreateDirectory(h.Vassals);
        h.Write("c.ini");
        h.WaitFor(Added, "c.ini");
        h.Write("d.ini");
        h.WaitFor(Added, "d.ini");
        h.Drain();

        Assert.Equal([(Added, "a.ini"), (Added, "b.ini"), (Removed, "a.ini"), (Removed, "b.ini"), (Added, "c.ini"), (Added, "d.ini")], h.Reported);
    }

    [Fact]
    public void A_directory_moved_away_removes_its_vassals_and_is_no_longer_followed()
    {
        using var h = new MonitorHarness();
        h.Write("a.ini");
        h.Monitor.Start();
        string movedTo = Path.Join(h.Root, "old-vassals");

        Directory.Move(h.Vassals, movedTo);
        h.WaitFor(Removed, "a.ini");
        File.WriteAllText(Path.Join(movedTo, "stray.ini"), "[uwsgi]\n");
        Directory.CreateDirectory(h.Vassals);
        h.Write("b.ini");
        h.WaitFor(Added, "b.ini");
        h.Drain();

        Assert.Equal([(Added, "a.ini"), (Removed, "a.ini"), (Added, "b.ini")], h.Reported);
    }

    [Fact]
    public void A_directory_missing_at_start_is_picked_up_when_created()
    {
        using var h = new MonitorHarness(createVassals: false);

        h.Monitor.Start();
        h.Monitor.Rescan();
        Assert.Empty(h.Events);
        Assert.Equal(1, h.Logger.EventIds.Count(id => id == 2101));

        Directory.CreateDirectory(h.Vassals);
        h.Write("a.ini");
        h.WaitFor(Added, "a.ini");
        h.Drain();

        Assert.Equal([(Added, "a.ini")], h.Reported);
    }

    [Fact]
    public void A_directory_whose_parent_is_missing_too_is_picked_up_by_a_rescan()
    {
        using var h = new MonitorHarness(spec: vassals => Path.Join(vassals, "deeper"), createVassals: false);
        string deeper = Path.Join(h.Vassals, "deeper");
        h.Monitor.Start();

        Directory.CreateDirectory(deeper);
        File.WriteAllText(Path.Join(deeper, "a.ini"), "[uwsgi]\n");
        h.Monitor.Rescan();
        Assert.Equal([(Added, "a.ini")], h.Reported);

        File.WriteAllText(Path.Join(deeper, "b.ini"), "[uwsgi]\n");
        h.WaitFor(Added, "b.ini");
    }

    [Fact]
    public void Rescan_reports_changes_the_loop_has_not_read_yet_and_the_events_add_nothing_twice()
    {
        using var h = new MonitorHarness();
        h.Write("keep.ini");
        h.Write("drop.ini");
        h.Monitor.Start();
        h.Events.Clear();

        File.Delete(h.PathOf("drop.ini"));
        h.Write("new.ini");
        File.SetLastWriteTimeUtc(h.PathOf("keep.ini"), new DateTime(2021, 5, 6, 7, 8, 9, DateTimeKind.Utc));
        h.Monitor.Rescan();
        Assert.Equal([(Removed, "drop.ini"), (Modified, "keep.ini"), (Added, "new.ini")], h.Reported);

        h.Drain();
        Assert.Equal([(Removed, "drop.ini"), (Modified, "keep.ini"), (Added, "new.ini")], h.Reported);
    }

    [Fact]
    public void Rescan_without_changes_reports_nothing()
    {
        using var h = new MonitorHarness();
        h.Write("a.ini");
        h.Monitor.Start();

        h.Monitor.Rescan();
        h.Monitor.Rescan();

        Assert.Equal([(Added, "a.ini")], h.Reported);
    }

    [Fact]
    public void Rescan_notices_a_renamed_parent_that_inotify_does_not_report()
    {
        using var h = new MonitorHarness(spec: vassals => Path.Join(vassals, "inner"), createVassals: false);
        string inner = Path.Join(h.Vassals, "inner");
        Directory.CreateDirectory(inner);
        File.WriteAllText(Path.Join(inner, "a.ini"), "[uwsgi]\n");
        h.Monitor.Start();

        Directory.Move(h.Vassals, Path.Join(h.Root, "renamed"));
        Directory.CreateDirectory(inner);
        File.WriteAllText(Path.Join(inner, "b.ini"), "[uwsgi]\n");
        h.Monitor.Rescan();

        Assert.Equal([(Added, "a.ini"), (Removed, "a.ini"), (Added, "b.ini")], h.Reported);
        File.WriteAllText(Path.Join(inner, "c.ini"), "[uwsgi]\n");
        h.WaitFor(Added, "c.ini");
    }
}
