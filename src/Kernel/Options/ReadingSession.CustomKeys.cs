namespace ForkServer.Kernel.Options;

/// <summary>
/// Keys that are not options: uWSGI keeps every key it reads, declared or not, and <c>%(key)</c> may name any of
/// them, so <c>project = /srv/app</c> then <c>chdir = %(project)</c> is a valid ini. <c>set-placeholder</c> (and
/// <c>set-ph</c>) sets one explicitly; <c>set = key=value</c> is the same as <c>key = value</c>.
/// </summary>
internal sealed partial class ReadingSession
{
    private static readonly string[] PlaceholderSetters = ["set-placeholder", "set-ph"];
    private const string SetKey = "set";

    // Keys some %(key) or if-opt asked for, found or not.
    private readonly HashSet<string> _referencedKeys = new(StringComparer.Ordinal);

    /// <summary>
    /// THE decision "is this key a placeholder": a key no loaded schema declares, referred to by <c>%(key)</c> (or
    /// tested by <c>if-opt</c>) somewhere in this reading. Such a key is left out of the options; an undeclared key
    /// nobody refers to stays in, for binding to report as unknown.
    /// </summary>
    private bool IsPlaceholder(RawOption option)
        => _referencedKeys.Contains(option.Key) && !_schema.TryGet(option.Key, out _);

    private void NoteReference(string key) => _referencedKeys.Add(key);

    // set-placeholder/set-ph/set = name=value. True when the key was one of them (handled, or failed).
    private bool TrySetPlaceholder(string key, string? value, OptionSource source, string? includingFile)
    {
        bool placeholderOnly = Array.IndexOf(PlaceholderSetters, key) >= 0;
        if (!placeholderOnly && key != SetKey)
        {
            return false;
        }

        int equals = value?.IndexOf('=') ?? -1;
        if (equals <= 0)
        {
            Fail(source, key, $"expected 'name=value', got '{value}'");
            return true;
        }

        string name = value![..equals].Trim();
        string setTo = value[(equals + 1)..].Trim();
        if (!placeholderOnly)
        {
            Record(name, setTo, source, includingFile);
        }
        else if (_schema.TryGet(name, out _))
        {
            Fail(source, key, $"'{name}' is an option, not a placeholder (set it with '{name} = {setTo}')");
        }
        else
        {
            _lastValues[name] = setTo;
        }

        return true;
    }
}
