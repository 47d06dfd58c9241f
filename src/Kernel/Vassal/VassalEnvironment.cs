using ForkServer.Abstractions;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// The environment options, <c>unenv = NAME</c> and <c>env = NAME=value</c>: every <c>unenv</c> is applied, then every
/// <c>env</c> in order (the last value of a name wins), to the process's own environment, so that the application
/// loaded afterwards, its workers and whatever they start see them.
/// </summary>
internal static class VassalEnvironment
{
    /// <summary>Checks the options: each <c>env</c> needs a name before its '=' and neither may name an empty or '='-holding variable.</summary>
    /// <exception cref="StartupException">The first bad value, naming where it was set.</exception>
    public static (IReadOnlyList<string> Removed, IReadOnlyList<KeyValuePair<string, string>> Set) Read(IOptionValues options)
    {
        var removed = new List<string>();
        foreach (var value in Values(options, "unenv"))
        {
            removed.Add(value.Value.Length > 0 && !value.Value.Contains('=')
                ? value.Value
                : throw new StartupException($"{value.Source}: unenv needs a variable name, got '{value.Value}'"));
        }

        var set = new List<KeyValuePair<string, string>>();
        foreach (var value in Values(options, "env"))
        {
            int equals = value.Value.IndexOf('=');
            set.Add(equals > 0
                ? new KeyValuePair<string, string>(value.Value[..equals], value.Value[(equals + 1)..])
                : throw new StartupException($"{value.Source}: env needs NAME=value, got '{value.Value}'"));
        }

        return (removed, set);
    }

    /// <summary>Applies the options to this process's environment.</summary>
    /// <exception cref="StartupException">A bad value (see <see cref="Read"/>).</exception>
    public static void Apply(IOptionValues options)
    {
        var (removed, set) = Read(options);
        foreach (string name in removed)
        {
            ProcessEnvironment.Unset(name);
        }

        foreach (var (name, value) in set)
        {
            ProcessEnvironment.Set(name, value);
        }
    }

    // The kernel's options are always OptionValues; the interface does not say where each value was set.
    private static IReadOnlyList<BoundValue> Values(IOptionValues options, string name)
        => ((OptionValues)options).GetBoundValues(name);
}
