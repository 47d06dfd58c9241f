using System.Text;

namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>
/// A parsed monitor spec: the directory to watch and, for a glob, the file-name pattern. Also decides which
/// names are vassal files and what instance name each one gets.
/// </summary>
internal sealed class MonitorSpec
{
    private const string DirectoryScheme = "dir://";
    private const string GlobScheme = "glob://";
    private const string VassalExtension = ".ini";

    // The Emperor keeps instance names in fixed 255-byte fields (docs/protocol.md#watching-the-folder).
    private const int MaxInstanceNameBytes = 255;

    private MonitorSpec(string text, string directory, GlobPattern? pattern)
    {
        Text = text;
        Directory = directory;
        Pattern = pattern;
    }

    /// <summary>The spec as given.</summary>
    public string Text { get; }

    /// <summary>The absolute directory watched.</summary>
    public string Directory { get; }

    /// <summary>The file-name pattern of a glob spec; null for a directory spec.</summary>
    public GlobPattern? Pattern { get; }

    /// <summary>
    /// Parses <c>/dir</c>, <c>dir:///dir</c>, <c>glob:///dir/*.ini</c> or a path with <c>* ? [</c> in its last part.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, or a glob with wildcards in its directory part.</exception>
    public static MonitorSpec Parse(string spec)
    {
        bool glob = spec.StartsWith(GlobScheme, StringComparison.Ordinal);
        string path = glob ? spec[GlobScheme.Length..]
            : spec.StartsWith(DirectoryScheme, StringComparison.Ordinal) ? spec[DirectoryScheme.Length..]
            : spec;
        if (path.Length == 0)
        {
            throw new ArgumentException($"Monitor spec '{spec}' names no directory", nameof(spec));
        }

        glob |= !spec.StartsWith(DirectoryScheme, StringComparison.Ordinal) && GlobPattern.IsGlob(path);
        if (!glob)
        {
            return new MonitorSpec(spec, Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)), null);
        }

        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? "/";
        string namePattern = Path.GetFileName(full);
        if (GlobPattern.IsGlob(directory) || namePattern.Length == 0)
        {
            throw new ArgumentException($"Monitor spec '{spec}': only the file-name part may hold wildcards", nameof(spec));
        }

        return new MonitorSpec(spec, directory, new GlobPattern(namePattern));
    }

    /// <summary>The absolute path of the entry <paramref name="fileName"/> of the directory.</summary>
    public string PathOf(string fileName) => Path.Join(Directory, fileName);

    /// <summary>The bare file name for a directory spec, the absolute path for a glob (as uWSGI's glob gives it).</summary>
    public string InstanceName(string fileName) => Pattern is null ? fileName : PathOf(fileName);

    /// <summary>
    /// Whether <paramref name="fileName"/> may be a vassal file by name alone: <c>*.ini</c>, not hidden (editors'
    /// swap and temporary files start with '.'), matching the glob, and with an instance name under 255 bytes.
    /// </summary>
    public bool Admits(string fileName)
        => !fileName.StartsWith('.')
            && fileName.EndsWith(VassalExtension, StringComparison.Ordinal)
            && (Pattern?.Matches(fileName) ?? true)
            && Encoding.UTF8.GetByteCount(InstanceName(fileName)) < MaxInstanceNameBytes;
}
