using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>stat and lstat, and writing an existing file.</summary>
public sealed class FilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("forkserver-files-").FullName;

    [Fact]
    public void A_regular_file_is_described()
    {
        string path = Path.Combine(_directory, "app.ini");
        File.WriteAllText(path, "[uwsgi]\n");
        Assert.True(Files.TryStat(path, out var status, out int errno));
        Assert.Equal(0, errno);
        Assert.True(status.IsRegularFile);
        Assert.False(status.IsSymbolicLink);
        Assert.Equal(1UL, status.LinkCount);
        Assert.Equal(new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeMilliseconds(), status.ModifiedNs / 1_000_000);
    }

    [Fact]
    public void A_missing_path_reports_its_errno()
    {
        Assert.False(Files.TryStat(Path.Combine(_directory, "missing"), out _, out int errno));
        Assert.Equal(Errno.ENOENT, errno);
    }

    [Fact]
    public void Only_lstat_sees_a_symlink()
    {
        string target = Path.Combine(_directory, "target.ini");
        File.WriteAllText(target, "");
        string link = Path.Combine(_directory, "link.ini");
        File.CreateSymbolicLink(link, target);

        Assert.True(Files.TryLinkStat(link, out var linkStatus, out _));
        Assert.True(linkStatus.IsSymbolicLink);
        Assert.True(Files.TryStat(link, out var targetStatus, out _));
        Assert.True(targetStatus.IsRegularFile);
    }

    [Fact]
    public void An_existing_file_is_written_and_a_missing_one_is_not_created()
    {
        string path = Path.Combine(_directory, "existing");
        File.WriteAllText(path, "");
        Assert.True(Files.TryWriteExisting(System.Text.Encoding.UTF8.GetBytes(path + "\0"), "text"u8));
        Assert.Equal("text", File.ReadAllText(path));

        string missing = Path.Combine(_directory, "missing");
        Assert.False(Files.TryWriteExisting(System.Text.Encoding.UTF8.GetBytes(missing + "\0"), "text"u8));
        Assert.False(File.Exists(missing));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
