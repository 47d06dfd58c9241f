namespace ForkServer.Kernel.Plugins;

/// <summary>A plugin named in <c>plugins =</c> is missing or broken.</summary>
internal sealed class PluginLoadException : Exception
{
    public PluginLoadException(string pluginName, string problem, Exception? inner = null)
        : base($"plugin '{pluginName}' {problem}", inner)
    {
        PluginName = pluginName;
    }

    public string PluginName { get; }
}
