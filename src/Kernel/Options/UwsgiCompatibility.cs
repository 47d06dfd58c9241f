using ForkServer.Abstractions;

namespace ForkServer.Kernel.Options;

/// <summary>
/// The one place that decides how ForkServer answers a key it does not implement. A key is either
/// <list type="bullet">
/// <item>declared by the kernel or a loaded plugin: it works;</item>
/// <item>one of <see cref="NoEffect"/>, uWSGI options that mean nothing here: accepted (its value still checked) and
/// logged once by each vassal's master with what ForkServer does instead;</item>
/// <item>an option of a uWSGI plugin ForkServer also has (<c>psgi</c>, <c>perl-arg</c>...): that plugin is loaded as if
/// <c>plugins =</c> named it (<see cref="ImpliedPlugin"/>), as a uWSGI with the plugin built in would;</item>
/// <item>else an error, worded by what the key is (<see cref="DescribeUnknown"/>): an option of uWSGI's Python
/// plugin, another uWSGI option ForkServer does not implement, or a typo.</item>
/// </list>
/// </summary>
internal static class UwsgiCompatibility
{
    private const string RemoveIt = "remove it";

    // uWSGI plugins whose options run Python applications: ForkServer has no Python plugin (yet).
    private static readonly HashSet<string> PythonPlugins = new(StringComparer.Ordinal)
    {
        "python", "pypy", "gevent", "greenlet", "tornado", "asyncio", "stackless",
    };

    // What to do instead of an unimplemented option, where there is better advice than removing it.
    private static readonly Dictionary<string, string> Alternatives = new(StringComparer.Ordinal)
    {
        ["touch-reload"] = "under the Emperor, touch the vassal's ini file to reload it",
        ["logger"] = "remove it and use logto",
        ["req-logger"] = "remove it and use logto",
        ["async"] = "each worker serves one request at a time: raise processes for more concurrency",
        ["ugreen"] = "each worker serves one request at a time: raise processes for more concurrency",
        ["coroae"] = "each worker serves one request at a time: raise processes for more concurrency",
    };

    /// <summary>uWSGI options that mean nothing in ForkServer, each with what ForkServer does instead.</summary>
    public static IReadOnlyList<NoEffectOption> NoEffect { get; } =
    [
        new("master", OptionType.Flag, "a vassal always has a master process"),
        new("strict", OptionType.Flag, "ForkServer always rejects options it does not know"),
        new("enable-threads", OptionType.Flag, "nothing to enable: ForkServer has no Python interpreter lock, and a worker serves one request at a time"),
        new("single-interpreter", OptionType.Flag, "a vassal always runs one application in one interpreter per process"),
        new("thunder-lock", OptionType.Flag, "workers wait for connections with EPOLLEXCLUSIVE: one of them is woken per connection, no lock needed"),
        new("die-on-term", OptionType.Flag, "SIGTERM and SIGINT always stop a vassal gracefully (a second one kills its workers)"),
        new("no-orphans", OptionType.Flag, "workers always die with their master (parent-death signal)"),
        new("threads", OptionType.Integer, "each worker serves one request at a time: raise processes for more concurrency"),
    ];

    /// <summary>Declares the <see cref="NoEffect"/> options in <paramref name="schema"/>.</summary>
    public static void Register(OptionSchema schema)
        => schema.Add(NoEffect.Select(o => o.Declaration), "kernel");

    /// <summary>
    /// The ForkServer plugin that declares <paramref name="key"/> if ForkServer has a plugin of that uWSGI plugin's
    /// name, i.e. the uWSGI plugin owning it when it is not uWSGI's core; <c>null</c> otherwise.
    /// </summary>
    public static string? ImpliedPlugin(string key)
        => UwsgiOptionCatalog.OwnerOf(key) is { } owner && owner != UwsgiOptionCatalog.Core ? owner : null;

    /// <summary>
    /// Why <paramref name="key"/>, which nobody declares, is refused: <c>'module' needs the python plugin...</c>,
    /// <c>'x' is a uWSGI option ForkServer does not implement: remove it</c>, or <c>unknown option (did you mean
    /// 'processes'?)</c>.
    /// </summary>
    public static string DescribeUnknown(string key, OptionSchema schema)
    {
        var owner = UwsgiOptionCatalog.OwnerOf(key);
        if (owner is null)
        {
            var suggestion = schema.Suggest(key) ?? Suggest(key);
            return suggestion is null ? "unknown option" : $"unknown option (did you mean '{suggestion}'?)";
        }

        if (PythonPlugins.Contains(owner))
        {
            return $"'{key}' needs the python plugin, which ForkServer does not have yet (uWSGI's {owner} plugin declares it)";
        }

        var plugin = owner == UwsgiOptionCatalog.Core ? "" : $" (of uWSGI's {owner} plugin)";
        return $"'{key}' is a uWSGI option{plugin} ForkServer does not implement: {Alternatives.GetValueOrDefault(key, RemoveIt)}";
    }

    // The uWSGI option closest to a typo ForkServer has no option near (wsgi-fle: wsgi-file).
    private static string? Suggest(string key)
        => EditDistance.Closest(key, UwsgiOptionCatalog.Names);
}

/// <summary>A uWSGI option accepted without effect.</summary>
/// <param name="Name">The option.</param>
/// <param name="Type">How its value is checked, as uWSGI takes it.</param>
/// <param name="Instead">What ForkServer does instead, logged when a vassal sets it.</param>
internal sealed record NoEffectOption(string Name, OptionType Type, string Instead)
{
    /// <summary>The option as the schema declares it.</summary>
    public OptionDeclaration Declaration { get; } = new(Name, Type, $"Accepted for uWSGI compatibility, no effect: {Instead}");
}
