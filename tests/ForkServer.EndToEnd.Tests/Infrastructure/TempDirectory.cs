namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>A scratch folder for ini files and logs, world-readable so vassals that drop privileges can read it.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("forkserver-e2e-").FullName;
        File.SetUnixFileMode(Path, (UnixFileMode)0x1ed); // 0755
    }

    public string Path { get; }

    /// <summary>Writes a file (world-readable) and returns its full path.</summary>
    public string Write(string name, string content)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, (UnixFileMode)0x1a4); // 0644
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A vassal still writing a log: the OS cleans /tmp.
        }
    }
}
