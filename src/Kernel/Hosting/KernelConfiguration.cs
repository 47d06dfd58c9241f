using ForkServer.Abstractions;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;

namespace ForkServer.Kernel.Hosting;

/// <summary>
/// The validated options of this process, the plugins they name, the arguments they came from and the directory
/// it started in.
/// </summary>
internal sealed record KernelConfiguration(
    IOptionValues Options,
    IReadOnlyList<IForkServerPlugin> Plugins,
    IReadOnlyList<string> Arguments,
    string StartDirectory)
{
    /// <summary>
    /// Reads the command line (and the ini files it names) with the kernel's options alone, to learn which plugins
    /// to load (those <c>plugins =</c> names, and those declaring options nobody else does, see
    /// <see cref="UwsgiCompatibility.ImpliedPlugin"/>); then, when it names some, again with every plugin's options too, so that an option nobody declares
    /// is an error.
    /// </summary>
    public static KernelConfiguration Load(IReadOnlyList<string> args, string workingDirectory)
        => Load(args, workingDirectory, loaded: []);

    /// <summary>
    /// An adopted vassal's configuration: its own arguments layered over the base's (as uWSGI does, the base's
    /// options stay in force, the adopted ones come after and win, lists add up). The base's plugins are reused,
    /// not loaded again, and their options are known from the first reading, which is then the only one; only a
    /// plugin the base lacks is loaded (and the arguments read again).
    /// </summary>
    public KernelConfiguration Layer(IReadOnlyList<string> adoptedArgs, string workingDirectory)
        => Load([.. Arguments, .. adoptedArgs], workingDirectory, Plugins);

    /// <summary>
    /// <see cref="Layer"/> for an adoption request's argv, whose first item names the program. A plain loop, not
    /// LINQ: the base rehearses this very method, and a generic instantiation it never made would be built anew,
    /// type by type, in every adopted master and worker (0.8 ms for one Skip and ToList).
    /// </summary>
    public KernelConfiguration LayerAdopted(IReadOnlyList<string> argv, string workingDirectory)
    {
        var adoptedArgs = new List<string>(Math.Max(0, argv.Count - 1));
        for (int i = 1; i < argv.Count; i++)
        {
            adoptedArgs.Add(argv[i]);
        }

        return Layer(adoptedArgs, workingDirectory);
    }

    private static KernelConfiguration Load(IReadOnlyList<string> args, string workingDirectory, IReadOnlyList<IForkServerPlugin> loaded)
    {
        var schema = new OptionSchema();
        KernelOptions.Register(schema);
        foreach (var plugin in loaded)
        {
            schema.Add(plugin.Options, plugin.Name);
        }

        var raw = ConfigurationReader.Read(args, workingDirectory, schema);
        var pluginNames = raw
            .Where(o => schema.TryGet(o.Key, out var d) && d.Name == "plugins")
            .SelectMany(o => (o.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        string pluginsDirectory = raw.LastOrDefault(o => schema.TryGet(o.Key, out var d) && d.Name == "plugins-dir")?.Value
            ?? PluginCatalog.DefaultDirectory;
        var catalog = new PluginCatalog(pluginsDirectory);
        foreach (var implied in ImpliedPlugins(raw, schema, catalog))
        {
            if (!pluginNames.Contains(implied))
            {
                pluginNames.Add(implied);
            }
        }

        var missing = pluginNames.Where(name => loaded.All(p => p.Name != name)).ToList();
        if (missing.Count == 0)
        {
            // Read with every option already known (an adopted vassal naming only the base's plugins): reading
            // again would give the same options, so they are bound as read.
            return new KernelConfiguration(OptionValues.Bind(raw, schema), loaded, args, workingDirectory);
        }

        var plugins = loaded.Concat(catalog.Load(missing)).ToList();
        foreach (var plugin in plugins.Skip(loaded.Count))
        {
            schema.Add(plugin.Options, plugin.Name);
        }

        var options = OptionValues.Load(args, workingDirectory, schema);
        return new KernelConfiguration(options, plugins, args, workingDirectory);
    }

    // The plugins that declare keys nobody declares yet (psgi = app.psgi without plugins = psgi): the ForkServer
    // plugins named as the uWSGI plugins owning those keys, when they are installed (UwsgiCompatibility).
    private static List<string> ImpliedPlugins(IReadOnlyList<RawOption> raw, OptionSchema schema, PluginCatalog catalog)
    {
        var names = new List<string>();
        foreach (var option in raw)
        {
            if (!schema.TryGet(option.Key, out _)
                && UwsgiCompatibility.ImpliedPlugin(option.Key) is { } plugin
                && !names.Contains(plugin)
                && catalog.Has(plugin))
            {
                names.Add(plugin);
            }
        }

        return names;
    }
}
