using System.Text.Json;
using ForkServer.Abstractions;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Plugins;

/// <summary>
/// Finds and loads the plugins named by <c>plugins =</c>. A plugin is a folder <c>&lt;plugins-dir&gt;/&lt;name&gt;/</c>
/// holding the build output of a project with <c>EnableDynamicLoading</c>; its main assembly is the one with a
/// <c>.deps.json</c> beside it. The contract types are shared with the kernel so the plugin's
/// <see cref="IForkServerPlugin"/> is the kernel's.
/// </summary>
internal sealed class PluginCatalog
{
    private readonly string _pluginsDirectory;

    public PluginCatalog(string pluginsDirectory)
    {
        _pluginsDirectory = Path.GetFullPath(pluginsDirectory);
    }

    /// <summary>The folder plugins are looked up in when <c>plugins-dir</c> is not set: beside the binary.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The names of the installed plugins: the folders of the plugins directory, in ordinal order.</summary>
    public IReadOnlyList<string> Installed()
        => Directory.Exists(_pluginsDirectory)
            ? Directory.GetDirectories(_pluginsDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>True when a plugin named <paramref name="name"/> is installed (a folder of that name exists).</summary>
    public bool Has(string name)
        => !name.Contains('/') && !name.Contains("..", StringComparison.Ordinal) && Directory.Exists(Path.Combine(_pluginsDirectory, name));

    /// <summary>Loads every named plugin, in order; the first failure throws <see cref="PluginLoadException"/>.</summary>
    public IReadOnlyList<IForkServerPlugin> Load(IEnumerable<string> names)
    {
        var plugins = new List<IForkServerPlugin>();
        foreach (string name in names.Distinct(StringComparer.Ordinal))
        {
            plugins.Add(LoadOne(name));
        }

        return plugins;
    }

    private IForkServerPlugin LoadOne(string name)
    {
        string folder = Path.Combine(_pluginsDirectory, name);
        if (name.Contains('/') || name.Contains("..", StringComparison.Ordinal) || !Directory.Exists(folder))
        {
            throw new PluginLoadException(name, $"not found: no folder {folder} (looked in plugins-dir {_pluginsDirectory})");
        }

        string assemblyPath = FindMainAssembly(name, folder);
        Type pluginType;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(
                assemblyPath,
                sharedTypes: [typeof(IForkServerPlugin), typeof(ILogger)],
                configure: config => config.PreferSharedTypes = true);
            pluginType = FindPluginType(name, loader.LoadDefaultAssembly().GetExportedTypes());
        }
        catch (Exception e) when (e is not PluginLoadException)
        {
            throw new PluginLoadException(name, $"failed to load {assemblyPath}: {e.Message}", e);
        }

        IForkServerPlugin plugin;
        try
        {
            plugin = (IForkServerPlugin)Activator.CreateInstance(pluginType)!;
        }
        catch (Exception e)
        {
            throw new PluginLoadException(name, $"{pluginType.FullName} could not be created: {(e.InnerException ?? e).Message}", e);
        }

        return plugin.Name == name
            ? plugin
            : throw new PluginLoadException(name, $"{assemblyPath} calls itself '{plugin.Name}', not '{name}'");
    }

    private static string FindMainAssembly(string name, string folder)
    {
        string[] manifests = Directory.GetFiles(folder, "*.deps.json");
        if (manifests.Length != 1)
        {
            throw new PluginLoadException(name, $"{folder} must hold exactly one *.deps.json naming the plugin assembly, found {manifests.Length}");
        }

        CheckManifest(name, manifests[0]);
        string assembly = manifests[0][..^".deps.json".Length] + ".dll";
        return File.Exists(assembly)
            ? assembly
            : throw new PluginLoadException(name, $"{assembly} is missing");
    }

    // The .NET host's native dependency resolver aborts the whole process (std::logic_error) on a deps.json
    // without these sections, so a damaged plugin folder would kill the Emperor: check before handing it over.
    private static void CheckManifest(string name, string manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("runtimeTarget", out var target) && target.TryGetProperty("name", out var targetName)
                && targetName.ValueKind == JsonValueKind.String
                && root.TryGetProperty("targets", out var targets) && targets.TryGetProperty(targetName.GetString()!, out _)
                && root.TryGetProperty("libraries", out var libraries) && libraries.ValueKind == JsonValueKind.Object)
            {
                return;
            }
        }
        catch (JsonException e)
        {
            throw new PluginLoadException(name, $"{manifest} is not valid JSON: {e.Message}", e);
        }

        throw new PluginLoadException(name, $"{manifest} is not a .NET dependency manifest (runtimeTarget, targets and libraries are required)");
    }

    private static Type FindPluginType(string name, IEnumerable<Type> types)
    {
        var candidates = types
            .Where(t => typeof(IForkServerPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw new PluginLoadException(name, $"expected exactly one public type implementing IForkServerPlugin, found {candidates.Count}");
    }
}
