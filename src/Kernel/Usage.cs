using ForkServer.Abstractions;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;

namespace ForkServer.Kernel;

/// <summary>The text of <c>forkserver --help</c>: the kernel's options, then each installed plugin's.</summary>
internal static class Usage
{
    public static string Text
    {
        get
        {
            var lines = new List<string>
            {
                "usage: forkserver --ini app.ini[:section] [--key value ...]",
                "       forkserver --plugins psgi --http-socket 127.0.0.1:8080 --psgi app.psgi --processes 2",
                "       forkserver --check [--print-config] --ini app.ini    validate (exit 0 or 1) without starting",
                "",
                "kernel options:",
            };
            var schema = new OptionSchema();
            KernelOptions.Register(schema);
            lines.AddRange(Describe(schema.All));
            lines.AddRange(PluginOptions(new PluginCatalog(PluginCatalog.DefaultDirectory)));
            return string.Join('\n', lines);
        }
    }

    // Each installed plugin's options under its name (loading a plugin declares its options; it loads no application).
    private static IEnumerable<string> PluginOptions(PluginCatalog catalog)
    {
        foreach (var name in catalog.Installed())
        {
            yield return "";
            IForkServerPlugin? plugin = null;
            string? problem = null;
            try
            {
                plugin = catalog.Load([name])[0];
            }
            catch (PluginLoadException e)
            {
                problem = e.Message;
            }

            if (plugin is null)
            {
                yield return $"plugin {name}: cannot be loaded ({problem})";
                continue;
            }

            yield return $"plugin {name} options (plugins = {name}):";
            foreach (var line in Describe(plugin.Options))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> Describe(IEnumerable<OptionDeclaration> options)
        => options.OrderBy(o => o.Name, StringComparer.Ordinal).Select(o => $"  --{o.Name,-22} {o.Description}");
}
