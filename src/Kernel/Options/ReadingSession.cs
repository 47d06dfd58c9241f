using ForkServer.Abstractions;

namespace ForkServer.Kernel.Options;

/// <summary>
/// One reading of a configuration: the options in reading order, the errors met on the way, and what
/// <c>%(key)</c> and include-cycle detection need to remember between files.
/// </summary>
internal sealed partial class ReadingSession
{
    private const string IniKey = "ini";

    private readonly OptionSchema _schema;
    private readonly string _workingDirectory;
    private readonly List<RawOption> _options = [];
    private readonly List<(int Position, ConfigurationError Error)> _errors = [];
    private readonly Dictionary<string, string> _lastValues = new(StringComparer.Ordinal);

    public ReadingSession(OptionSchema schema, string workingDirectory)
    {
        _schema = schema;
        _workingDirectory = Path.GetFullPath(workingDirectory);
        CommandLineVariables = MagicVariables.ForCommandLine(_workingDirectory);
    }

    /// <summary>The magic variables of values given on the command line.</summary>
    public MagicVariables CommandLineVariables { get; }

    /// <summary>The options read so far, in reading order.</summary>
    public IReadOnlyList<RawOption> Options => _options;

    /// <summary>
    /// The problems met, each with how many options had been read before it, so that binding can report its own
    /// problems and these in one reading order.
    /// </summary>
    public IReadOnlyList<(int Position, ConfigurationError Error)> Errors => _errors;

    /// <summary>True when <paramref name="key"/> is a declared <see cref="OptionType.Flag"/> (which never takes the next argument).</summary>
    public bool IsFlag(string key) => _schema.TryGet(key, out var declaration) && declaration.Type == OptionType.Flag;

    /// <summary>True when <paramref name="key"/> is a declared option that needs a value.</summary>
    public bool IsValued(string key) => _schema.TryGet(key, out var declaration) && declaration.Type != OptionType.Flag;

    /// <summary>Records a problem that is not about an option's value.</summary>
    public void Fail(OptionSource source, string? key, string message)
        => _errors.Add((_options.Count, new ConfigurationError(source, key, message)));

    /// <summary>
    /// Takes one occurrence of an option: expands its placeholders, records it, and reads the file when it is
    /// an <c>ini</c> include.
    /// </summary>
    /// <param name="key">The option name as written.</param>
    /// <param name="value">The value as written, or <c>null</c> for a bare flag.</param>
    /// <param name="source">Where it was written.</param>
    /// <param name="magic">The magic variables of that place.</param>
    /// <param name="includingFile">The ini file it was written in (as referenced), or <c>null</c> for the command line.</param>
    public void Set(string key, string? value, OptionSource source, MagicVariables magic, string? includingFile)
    {
        if (value is not null)
        {
            if (!Placeholders.TryExpand(value, magic, LastValue, out var expanded, out var error))
            {
                Fail(source, key, error);
                return;
            }

            value = expanded;
        }

        string name = CanonicalName(key);
        if (name == IniKey && !string.IsNullOrEmpty(value))
        {
            var reference = IniReference.Parse(value, includingFile, _workingDirectory);
            _options.Add(new RawOption(key, reference.ToString(), source));
            _lastValues[name] = reference.ToString();
            Include(reference, source);
            return;
        }

        _options.Add(new RawOption(key, value, source));
        _lastValues[name] = value ?? "true";
    }

    private string? LastValue(string key) => _lastValues.GetValueOrDefault(CanonicalName(key));

    // Unknown keys are remembered under their own name so %(key) still works before the unknown-option error
    // is reported by binding.
    private string CanonicalName(string key) => _schema.TryGet(key, out var declaration) ? declaration.Name : key;
}
