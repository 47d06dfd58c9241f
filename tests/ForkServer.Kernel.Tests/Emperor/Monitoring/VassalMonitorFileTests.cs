using System.Runtime.Versioning;
using System.Text;
using ForkServer.Kernel.Emperor.Monitoring;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Emperor.Monitoring;

/// <summary>Files coming, changing and going in a watched vassal directory, through real inotify.</summary>
public sealed unsafe class VassalMonitorFileTests
{
    private const VassalFileChange Added = VassalFileChange.Added;
    private const VassalFileChange Modified = VassalFileChange.Modified;
    private const VassalFileChange Removed = VassalFileChange.Removed;

    private static readonly DateTime PastWrite = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void Start_reports_present_vassal_files_sorted_with_their_stat()
    {
        using var h = new MonitorHarness();
        h.Write("c.ini");
        h.Write("a.ini");
        h.Write("b.ini");
        h.Write("notes.txt");
        Directory.CreateDirectory(h.PathOf("dir.ini"));
        File.SetLastWriteTimeUtc(h.PathOf("a.ini"), PastWrite);

        h.Monitor.Start();

        Assert.Equal([(Added, "a.ini"), (Added, "b.ini"), (Added, "c.ini")], h.Reported);
        var a = h.Events[0];
        Assert.Equal(h.PathOf("a.ini"), a.Path);
        Assert.Equal(NanosecondsSinceEpoch(PastWrite), a.ModifiedNs);
        Assert.Equal((uint)getuid(), a.OwnerUid);
        Assert.Equal((uint)getgid(), a.OwnerGid);
        Assert.Equal(h.Vassals, a.Monitor);
        Assert.Equal(["a.ini", "b.ini", "c.ini"], h.Monitor.Known);
    }

    [Fact]
    public void A_new_file_written_and_closed_is_added_once()
    {
        using var h = new MonitorHarness();
        h.Monitor.Start();

        h.Write("one.ini");
        h.WaitFor(Added, "one.ini");
        h.Drain();

        Assert.Equal([(Added, "one.ini")], h.Reported);
    }

    [Fact]
    public void A_file_created_empty_is_added_only_once_it_is_closed_complete()
    {
        const string Content = "[uwsgi]\nsocket = :0\n";
        string? contentWhenAdded = null;
        using var h = new MonitorHarness(onChange: e => contentWhenAdded ??= e.Name == "slow.ini" ? File.ReadAllText(e.Path) : null);
        h.Monitor.Start();

        using (var writer = new StreamWriter(h.PathOf("slow.ini")))
        {
            writer.Write(Content[..8]);
            writer.Flush();
            h.Drain();
            Assert.Empty(h.Reported);
            writer.Write(Content[8..]);
        }

        h.WaitFor(Added, "slow.ini");
        h.Drain();
        Assert.Equal([(Added, "slow.ini")], h.Reported);
        Assert.Equal(Content, contentWhenAdded);
    }

    [Fact]
    public void A_copied_file_is_added_complete()
    {
        string? contentWhenAdded = null;
        using var h = new MonitorHarness(onChange: e => contentWhenAdded ??= File.ReadAllText(e.Path));
        string source = Path.Join(h.Root, "source.ini");
        File.WriteAllText(source, new string('x', 100_000));
        h.Monitor.Start();

        File.Copy(source, h.PathOf("copy.ini"));
        h.WaitFor(Added, "copy.ini");
        h.Drain();

        Assert.Equal([(Added, "copy.ini")], h.Reported);
        Assert.Equal(100_000, contentWhenAdded?.Length);
    }

    [Fact]
    public void Hard_and_symbolic_links_are_added_without_a_close()
    {
        using var h = new MonitorHarness();
        string target = Path.Join(h.Root, "target.ini");
        File.WriteAllText(target, "[uwsgi]\n");
        h.Monitor.Start();

        HardLink(target, h.PathOf("hard.ini"));
        File.CreateSymbolicLink(h.PathOf("soft.ini"), target);
        File.CreateSymbolicLink(h.PathOf("dangling.ini"), Path.Join(h.Root, "nowhere.ini"));
        h.Drain();

        Assert.Equal([(Added, "hard.ini"), (Added, "soft.ini")], h.Reported);
    }

    [Fact]
    public void Renames_into_out_of_and_inside_the_directory_add_and_remove()
    {
        using var h = new MonitorHarness();
        h.Write("out.ini");
        h.Write("old-name.ini");
        h.Write("hide.ini");
        string staged = Path.Join(h.Root, "staged.ini");
        File.WriteAllText(staged, "[uwsgi]\n");
        h.Monitor.Start();
        h.Events.Clear();

        File.Move(staged, h.PathOf("in.ini"));
        File.Move(h.PathOf("out.ini"), Path.Join(h.Root, "out.ini"));
        File.Move(h.PathOf("old-name.ini"), h.PathOf("new-name.ini"));
        File.Move(h.PathOf("hide.ini"), h.PathOf(".hide.ini"));
        h.Drain();

        Assert.Equal(
            [(Added, "in.ini"), (Removed, "out.ini"), (Removed, "old-name.ini"), (Added, "new-name.ini"), (Removed, "hide.ini")],
            h.Reported);
        Assert.Equal(["in.ini", "new-name.ini", "zz-barrier-1.ini"], h.Monitor.Known);
    }

    [Fact]
    public void A_deleted_file_is_removed_with_its_last_known_stat()
    {
        using var h = new MonitorHarness();
        h.Write("gone.ini");
        File.SetLastWriteTimeUtc(h.PathOf("gone.ini"), PastWrite);
        h.Monitor.Start();

        File.Delete(h.PathOf("gone.ini"));
        h.WaitFor(Removed, "gone.ini");

        Assert.Equal(NanosecondsSinceEpoch(PastWrite), h.Events[^1].ModifiedNs);
        Assert.Empty(h.Monitor.Known);
    }

    [Fact]
    public void Touch_reports_modified_with_the_new_mtime()
    {
        using var h = new MonitorHarness();
        h.Write("one.ini");
        h.Monitor.Start();
        var touched = PastWrite.AddTicks(1234567);

        File.SetLastWriteTimeUtc(h.PathOf("one.ini"), touched);
        h.WaitFor(Modified, "one.ini");
        h.Drain();

        Assert.Equal([(Added, "one.ini"), (Modified, "one.ini")], h.Reported);
        Assert.Equal(NanosecondsSinceEpoch(touched), h.Events.Single(e => e.Change == Modified).ModifiedNs);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Rewriting_identical_content_reports_one_modified_and_a_mode_change_none()
    {
        using var h = new MonitorHarness();
        string path = h.Write("one.ini");
        File.SetLastWriteTimeUtc(path, PastWrite);
        h.Monitor.Start();

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        h.Drain();
        File.WriteAllText(path, File.ReadAllText(path));
        h.Drain();

        Assert.Equal([(Added, "one.ini"), (Modified, "one.ini")], h.Reported);
    }

    [Fact]
    public void Other_extensions_hidden_files_and_directories_are_ignored()
    {
        using var h = new MonitorHarness();
        h.Monitor.Start();

        h.Write(".one.ini.swp");
        h.Write(".hidden.ini");
        h.Write("readme.txt");
        h.Write("one.ini.bak");
        h.Write("one.INI");
        Directory.CreateDirectory(h.PathOf("sub.ini"));
        h.Drain();

        Assert.Empty(h.Reported);
    }

    [Fact]
    public void A_hundred_files_dropped_at_once_are_each_added_once()
    {
        using var h = new MonitorHarness();
        h.Monitor.Start();

        for (int i = 0; i < 100; i++)
        {
            h.Write($"vassal-{i:D3}.ini");
        }

        h.WaitFor(events => events.Count(e => e.Change == Added) == 100, "100 Added");
        h.Drain();

        var reported = h.Reported;
        Assert.Equal(100, reported.Count);
        Assert.All(reported, r => Assert.Equal(Added, r.Change));
        Assert.Equal(100, reported.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void A_throwing_callback_does_not_stop_the_monitor()
    {
        using var h = new MonitorHarness(onChange: _ => throw new InvalidOperationException("handler bug"));
        h.Write("a.ini");

        h.Monitor.Start();
        h.Write("b.ini");
        h.WaitFor(Added, "b.ini");
        File.Delete(h.PathOf("a.ini"));
        h.WaitFor(Removed, "a.ini");

        Assert.Equal([(Added, "a.ini"), (Added, "b.ini"), (Removed, "a.ini")], h.Reported);
        Assert.Equal(3, h.Logger.EventIds.Count(id => id == 2108));
    }

    internal static long NanosecondsSinceEpoch(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;

    private static void HardLink(string existing, string newPath)
    {
        byte[] from = Encoding.UTF8.GetBytes(existing + "\0");
        byte[] to = Encoding.UTF8.GetBytes(newPath + "\0");
        fixed (byte* f = from, t = to)
        {
            Assert.Equal(0, link(f, t));
        }
    }
}
