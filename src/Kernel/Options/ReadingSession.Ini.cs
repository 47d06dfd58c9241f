namespace ForkServer.Kernel.Options;

/// <summary>Reading ini files: sections, comments, <c>key = value</c> lines and nested includes.</summary>
internal sealed partial class ReadingSession
{
    /// <summary>How deep <c>ini</c> includes may nest, counting the first file.</summary>
    public const int MaxIncludeDepth = 16;

    private const int QuotedLineLength = 40;

    // Absolute paths of the files being read, outermost first: a file already here is a cycle.
    private readonly List<string> _includeChain = [];

    private void Include(IniReference reference, OptionSource referencedFrom)
    {
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(reference.File, _workingDirectory);
        }
        catch (ArgumentException)
        {
            Fail(referencedFrom, IniKey, $"'{reference.File}' is not a valid path");
            return;
        }

        if (_includeChain.Contains(fullPath))
        {
            var cycle = _includeChain.SkipWhile(p => p != fullPath).Append(fullPath).Select(Path.GetFileName);
            Fail(referencedFrom, IniKey, $"ini file '{reference.File}' includes itself ({string.Join(" -> ", cycle)})");
            return;
        }

        if (_includeChain.Count >= MaxIncludeDepth)
        {
            Fail(referencedFrom, IniKey, $"ini file '{reference.File}' is nested more than {MaxIncludeDepth} includes deep");
            return;
        }

        if (!TryReadLines(reference.File, fullPath, referencedFrom, out var lines))
        {
            return;
        }

        _includeChain.Add(fullPath);
        bool sectionFound = ReadIniLines(lines, reference, MagicVariables.ForIniFile(fullPath));
        _includeChain.RemoveAt(_includeChain.Count - 1);

        if (!sectionFound)
        {
            Fail(referencedFrom, IniKey, $"ini file '{reference.File}' has no [{reference.Section}] section");
        }
    }

    private bool TryReadLines(string file, string fullPath, OptionSource referencedFrom, out string[] lines)
    {
        lines = [];
        string? problem;
        try
        {
            if (Directory.Exists(fullPath))
            {
                problem = "it is a directory";
            }
            else
            {
                lines = File.ReadAllLines(fullPath);
                return true;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = "no such file";
        }
        catch (UnauthorizedAccessException)
        {
            problem = "permission denied";
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            problem = e.Message;
        }

        Fail(referencedFrom, IniKey, $"cannot read ini file '{file}': {problem}");
        return false;
    }

    /// <summary>Reads the lines of one file, taking options from the wanted section only.</summary>
    /// <returns>True when the wanted section was present.</returns>
    private bool ReadIniLines(string[] lines, IniReference reference, MagicVariables magic)
    {
        bool inSection = false;
        bool sectionFound = false;
        for (int index = 0; index < lines.Length; index++)
        {
            var source = new OptionSource(reference.File, index + 1);
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] is ';' or '#')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                inSection = line[1..^1].Trim() == reference.Section;
                sectionFound |= inSection;
                continue;
            }

            int equals = line.IndexOf('=');
            string key = equals < 0 ? "" : line[..equals].TrimEnd();
            if (key.Length == 0)
            {
                // Checked in every section: a broken line elsewhere in the file is as likely a typo as here.
                Fail(source, null, $"expected 'key = value', got '{Quote(line)}'");
                continue;
            }

            if (inSection)
            {
                Set(key, line[(equals + 1)..].TrimStart(), source, magic, reference.File);
            }
        }

        return sectionFound;
    }

    private static string Quote(string line)
        => line.Length <= QuotedLineLength ? line : string.Concat(line.AsSpan(0, QuotedLineLength), "...");
}
