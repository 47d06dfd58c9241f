namespace ForkServer.Kernel.Options;

/// <summary>
/// Reading ini files: sections, comments, <c>key = value</c> lines, bare <c>key</c> lines (a flag set to true) and
/// nested includes, of another file or of another section of the same one (<c>ini = :section</c>).
/// </summary>
internal sealed partial class ReadingSession
{
    /// <summary>How deep <c>ini</c> includes may nest, counting the first file.</summary>
    public const int MaxIncludeDepth = 16;

    private const int QuotedLineLength = 40;

    // Absolute paths and sections of the files being read, outermost first: one already here is a cycle.
    private readonly List<IncludeLink> _includeChain = [];

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

        var link = new IncludeLink(fullPath, reference.Section);
        int first = _includeChain.IndexOf(link);
        if (first >= 0)
        {
            var cycle = new List<string>();
            for (int i = first; i < _includeChain.Count; i++)
            {
                cycle.Add(Describe(_includeChain[i]));
            }

            cycle.Add(Describe(link));
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

        var facts = IniFileFacts.Of(reference.ToString(), fullPath, reference.SectionGiven ? reference.Section : null);
        if (_firstFile is null)
        {
            _firstFile = facts;
            CommandLineVariables = MagicVariables.ForCommandLine(_workingDirectory, _firstFile, _process);
        }

        // A block open where the include is stays open after it, and one the file leaves open ends with it.
        var outerBlock = _block;
        bool outerFailed = _lastConditionFailed;
        _block = null;
        _includeChain.Add(link);
        bool sectionFound = ReadIniLines(lines, reference, MagicVariables.ForIniFile(facts, _firstFile, _process));
        _includeChain.RemoveAt(_includeChain.Count - 1);
        _block = outerBlock;
        _lastConditionFailed = outerFailed;

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

            // A line without '=' is a bare key, as uWSGI reads it: "master" is "master = true". One with blanks
            // inside, or an unclosed "[section", is no key: a broken line rather than an unknown option.
            int equals = line.IndexOf('=');
            string key = equals < 0 ? line : line[..equals].TrimEnd();
            if (key.Length == 0 || equals < 0 && (line[0] == '[' || line.AsSpan().IndexOfAny(' ', '\t') >= 0))
            {
                // Checked in every section: a broken line elsewhere in the file is as likely a typo as here.
                Fail(source, null, $"expected 'key = value', got '{Quote(line)}'");
                continue;
            }

            if (inSection)
            {
                Set(key, equals < 0 ? null : line[(equals + 1)..].TrimStart(), source, magic, reference.File);
            }
        }

        return sectionFound;
    }

    private static string Describe(IncludeLink link)
        => link.Section == IniReference.DefaultSection ? Path.GetFileName(link.Path) : $"{Path.GetFileName(link.Path)}:{link.Section}";

    // A class, not a tuple: the reader runs in adopted processes, where a new generic instantiation is compiled.
    private sealed record IncludeLink(string Path, string Section);

    private static string Quote(string line)
        => line.Length <= QuotedLineLength ? line : string.Concat(line.AsSpan(0, QuotedLineLength), "...");
}
