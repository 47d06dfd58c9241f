using System.Reflection;

namespace ForkServer.Kernel.Options;

/// <summary>
/// The names of uWSGI's options and the uWSGI plugin each belongs to (<c>core</c> for uWSGI's core), from
/// <c>UwsgiOptionNames.txt</c> (where the names come from is written at its top). Read on first use: only a key
/// ForkServer does not declare is looked up.
/// </summary>
internal static class UwsgiOptionCatalog
{
    /// <summary>The owner of the options of uWSGI's core.</summary>
    public const string Core = "core";

    private static readonly Lazy<Dictionary<string, string>> Owners = new(Read);

    /// <summary>Every uWSGI option name.</summary>
    public static IEnumerable<string> Names => Owners.Value.Keys;

    /// <summary>The uWSGI plugin declaring <paramref name="name"/> (<see cref="Core"/> for the core), or <c>null</c> when uWSGI has no such option.</summary>
    public static string? OwnerOf(string name) => Owners.Value.GetValueOrDefault(name);

    private static Dictionary<string, string> Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("UwsgiOptionNames.txt")
            ?? throw new InvalidOperationException("The resource UwsgiOptionNames.txt is missing from the kernel assembly.");
        using var reader = new StreamReader(stream);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.IndexOf(' ');
            owners.TryAdd(line[(space + 1)..], line[..space]);
        }

        return owners;
    }
}
