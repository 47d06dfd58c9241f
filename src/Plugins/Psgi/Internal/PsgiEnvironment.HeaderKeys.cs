namespace ForkServer.Plugins.Psgi.Internal;

/// <content>Header name → <c>HTTP_*</c> key, cached because the same few names arrive on every request.</content>
internal sealed partial class PsgiEnvironment
{
    // Bounded so that a client inventing header names cannot grow a worker's memory.
    private const int MaxCachedKeys = 256;
    private readonly Dictionary<string, string> _keyOfName = new(StringComparer.Ordinal);

    private string EnvKeyOf(string headerName)
    {
        if (_keyOfName.TryGetValue(headerName, out string? key))
        {
            return key;
        }

        key = string.Create(5 + headerName.Length, headerName, static (target, name) =>
        {
            "HTTP_".CopyTo(target);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                target[5 + i] = c == '-' ? '_' : char.ToUpperInvariant(c);
            }
        });
        if (_keyOfName.Count < MaxCachedKeys)
        {
            _keyOfName[headerName] = key;
        }

        return key;
    }
}
