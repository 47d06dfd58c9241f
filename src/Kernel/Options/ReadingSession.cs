using ForkServer.Abstractions;

namespace ForkServer.Kernel.Options;

/// <summary>
/// One reading of a configuration: the options in reading order, the errors met on the way, and what
/// <c>%(key)</c>, the magic variables, logic blocks and include-cycle detection need to remember between files.
/// </summary>
internal sealed partial class ReadingSession : IPlaceholderLookup
{
    private const string IniKey = "ini";

    private readonly OptionSchema _schema;
    private readonly string _workingDirectory;
    private readonly ProcessFacts _process;
    private readonly List<RawOption> _options = [];
    private readonly List<(int Position, ConfigurationError Error)> _errors = [];
    private readonly Dictionary<string, string> _lastValues = new(StringComparer.Ordinal);
    private IniFileFacts? _firstFile;

    public ReadingSession(OptionSchema schema, string workingDirectory)
    {
        _schema = schema;
        _workingDirectory = Path.GetFullPath(workingDirectory);
        _process = new ProcessFacts(_workingDirectory);
        CommandLineVariables = MagicVariables.ForCommandLine(_workingDirectory, null, _process);
    }

    /// <summary>The magic variables of values given on the command line (the upper-case ones once an ini file was read).</summary>
    public MagicVariables CommandLineVariables { get; private set; }

    /// <summary>The options read so far, in reading order, without the keys that turned out to be placeholders.</summary>
    public IReadOnlyList<RawOption> Options
    {
        get
        {
            var options = new List<RawOption>(_options.Count);
            foreach (var option in _options)
            {
                if (!IsPlaceholder(option))
                {
                    options.Add(option);
                }
            }

            return options;
        }
    }

    /// <summary>
    /// The problems met, each with how many of <see cref="Options"/> had been read before it, so that binding can
    /// report its own problems and these in one reading order.
    /// </summary>
    public IReadOnlyList<(int Position, ConfigurationError Error)> Errors
    {
        get
        {
            // Positions were taken while placeholders were still counted as options: count only those kept.
            var kept = new int[_options.Count + 1];
            for (int i = 0; i < _options.Count; i++)
            {
                kept[i + 1] = kept[i] + (IsPlaceholder(_options[i]) ? 0 : 1);
            }

            var errors = new List<(int Position, ConfigurationError Error)>(_errors.Count);
            foreach (var (position, error) in _errors)
            {
                errors.Add((kept[position], error));
            }

            return errors;
        }
    }

    /// <summary>True when <paramref name="key"/> is a declared <see cref="OptionType.Flag"/> (which never takes the next argument).</summary>
    public bool IsFlag(string key) => _schema.TryGet(key, out var declaration) && declaration.Type == OptionType.Flag;

    /// <summary>True when <paramref name="key"/> is a declared option that needs a value.</summary>
    public bool IsValued(string key) => _schema.TryGet(key, out var declaration) && declaration.Type != OptionType.Flag;

    /// <summary>Records a problem that is not about an option's value.</summary>
    public void Fail(OptionSource source, string? key, string message)
        => _errors.Add((_options.Count, new ConfigurationError(source, key, message)));

    /// <summary>
    /// Takes one occurrence of a key: a logic block keyword (<c>if-env</c>, <c>for</c>, <c>endif</c>…) opens or
    /// closes a block; inside a block the key is taken as the block says; otherwise it is taken once.
    /// </summary>
    /// <param name="key">The option name as written.</param>
    /// <param name="value">The value as written, or <c>null</c> for a bare flag.</param>
    /// <param name="source">Where it was written.</param>
    /// <param name="magic">The magic variables of that place.</param>
    /// <param name="includingFile">The ini file it was written in (as referenced), or <c>null</c> for the command line.</param>
    public void Set(string key, string? value, OptionSource source, MagicVariables magic, string? includingFile)
    {
        if (!TryTakeLogic(key, value, source, magic, includingFile))
        {
            Take(key, value, source, magic, includingFile);
        }
    }

    /// <inheritdoc/>
    public string? ValueOf(string key)
    {
        NoteReference(key);
        return _lastValues.GetValueOrDefault(CanonicalName(key));
    }

    /// <inheritdoc/>
    public bool TryReadFile(string file, out string content, out string error)
    {
        content = "";
        error = "";
        try
        {
            content = File.ReadAllText(Path.GetFullPath(file, _workingDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"'@({file})' cannot be read: {e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            }}";
            return false;
        }

        // As uWSGI: one final line break goes, so a file holding a line gives the line.
        content = content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2]
            : content.EndsWith('\n') ? content[..^1]
            : content;
        return true;
    }

    // One occurrence, outside any block: placeholders expanded, then recorded.
    private void Take(string key, string? value, OptionSource source, MagicVariables magic, string? includingFile)
    {
        if (value is not null)
        {
            if (!Placeholders.TryExpand(value, magic, this, out var expanded, out var error))
            {
                Fail(source, key, error);
                return;
            }

            value = expanded;
        }

        Record(key, value, source, includingFile);
    }

    private void Record(string key, string? value, OptionSource source, string? includingFile)
    {
        string name = CanonicalName(key);
        if (TrySetPlaceholder(name, value, source, includingFile))
        {
            return;
        }

        if (name == IniKey && !string.IsNullOrEmpty(value))
        {
            var reference = IniReference.Parse(value, includingFile, _workingDirectory);
            if (reference.File.Length == 0)
            {
                Fail(source, key, $"'{value}' names a section of the file it is written in, and the command line is no file");
                return;
            }

            _options.Add(new RawOption(key, reference.ToString(), source));
            _lastValues[name] = reference.ToString();
            Include(reference, source);
            return;
        }

        _options.Add(new RawOption(key, value, source));
        _lastValues[name] = value ?? "true";
    }

    // Unknown keys are remembered under their own name so %(key) works with them: see IsPlaceholder.
    private string CanonicalName(string key) => _schema.TryGet(key, out var declaration) ? declaration.Name : key;
}
