using System.Globalization;
using ForkServer.Abstractions;

namespace ForkServer.Kernel.Options;

/// <summary>
/// The checked configuration of this process. Every occurrence of an option is kept in order; the last one is
/// the value (uWSGI semantics), and <see cref="GetValues"/> lists them all. Asking for an option nobody
/// declared is a programming error and throws, so a typo in code fails as loudly as one in an ini file.
/// </summary>
internal sealed partial class OptionValues : IOptionValues
{
    private readonly OptionSchema _schema;
    private readonly Dictionary<string, List<BoundValue>> _values;

    private OptionValues(OptionSchema schema, Dictionary<string, List<BoundValue>> values)
    {
        _schema = schema;
        _values = values;
    }

    /// <inheritdoc/>
    public bool Contains(string name) => Find(name).Count > 0;

    /// <inheritdoc/>
    public string? GetValue(string name) => Find(name) is [.., var last] ? last.Value : null;

    /// <inheritdoc/>
    public IReadOnlyList<string> GetValues(string name) => Find(name).Select(v => v.Value).ToArray();

    /// <inheritdoc/>
    public long GetInteger(string name, long defaultValue)
    {
        var value = GetValue(name);
        if (value is null)
        {
            return defaultValue;
        }

        return TryParseInteger(value, out long result)
            ? result
            : throw new InvalidOperationException($"Option '{name}' is not a whole number: '{value}'.");
    }

    /// <inheritdoc/>
    public bool GetFlag(string name, bool defaultValue = false)
    {
        var value = GetValue(name);
        if (value is null)
        {
            return defaultValue;
        }

        return TryParseFlag(value, out bool result)
            ? result
            : throw new InvalidOperationException($"Option '{name}' is not a boolean: '{value}'.");
    }

    /// <inheritdoc/>
    public string DescribeSource(string name) => Find(name) is [.., var last] ? last.Source.ToString() : "default";

    /// <summary>The declared names of the options that are set, in ordinal order.</summary>
    public IReadOnlyList<string> SetNames => _values.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Every value of the option with where it was set, in order.</summary>
    public IReadOnlyList<BoundValue> GetBoundValues(string name) => Find(name);

    private IReadOnlyList<BoundValue> Find(string name)
    {
        if (!_schema.TryGet(name, out var declaration))
        {
            throw new ArgumentException($"Option '{name}' is not declared by the kernel or any loaded plugin.", nameof(name));
        }

        return _values.TryGetValue(declaration.Name, out var values) ? values : [];
    }

    private static bool TryParseInteger(string value, out long result)
        => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);

    private static bool TryParseFlag(string value, out bool result)
    {
        switch (value.ToLowerInvariant())
        {
            case "" or "true" or "yes" or "on" or "1":
                result = true;
                return true;
            case "false" or "no" or "off" or "0":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }
}
