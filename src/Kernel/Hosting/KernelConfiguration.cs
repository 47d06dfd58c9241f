using ForkServer.Abstractions;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;

namespace ForkServer.Kernel.Hosting;

/// <summary>The validated options of this process, the plugins they name, and the directory it started in.</summary>
internal sealed record KernelConfiguration(IOptionValues Options, IReadOnlyList<IForkServerPlugin> Plugins, string StartDirectory)
{
    /// <summary>
    /// Reads the command line (and the ini files it names) twice: first with the kernel's options alone, to learn
    /// which plugins to load; then with every plugin's options too, so that an option nobody declares is an error.
    /// </summary>
    public static KernelConfiguration Load(IReadOnlyList<string> args, string workingDirectory)
    {
        var schema = new OptionSchema();
        KernelOptions.Register(schema);
        var raw = ConfigurationReader.Read(args, workingDirectory, schema);

        var pluginNames = raw
            .Where(o => schema.TryGet(o.Key, out var d) && d.Name == "plugins")
            .SelectMany(o => (o.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        string pluginsDirectory = raw.LastOrDefault(o => schema.TryGet(o.Key, out var d) && d.Name == "plugins-dir")?.Value
            ?? PluginCatalog.DefaultDirectory;
        var plugins = new PluginCatalog(pluginsDirectory).Load(pluginNames);

        foreach (var plugin in plugins)
        {
            schema.Add(plugin.Options, plugin.Name);
        }

        var options = OptionValues.Load(args, workingDirectory, schema);
        return new KernelConfiguration(options, plugins, workingDirectory);
    }
}
