using System.Text.Json;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// The part of an application's <c>.runtimeconfig.json</c> the plugin acts on: the shared frameworks it needs.
/// Its <c>configProperties</c> (server GC, for one: the Web SDK turns it on) are deliberately ignored: the
/// application runs inside the forkserver process, whose own runtimeconfig carries the settings forking needs.
/// </summary>
internal static class RuntimeConfig
{
    /// <summary>Reads the frameworks from the runtimeconfig text.</summary>
    /// <exception cref="FormatException">Not a runtimeconfig; the message says what is wrong, not where.</exception>
    public static IReadOnlyList<FrameworkReference> ParseFrameworks(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("runtimeOptions", out var options)
                || options.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("no runtimeOptions object");
            }

            var frameworks = new List<FrameworkReference>();
            if (options.TryGetProperty("framework", out var single))
            {
                frameworks.Add(Framework(single));
            }

            if (options.TryGetProperty("frameworks", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw new FormatException("runtimeOptions.frameworks is not an array");
                }

                frameworks.AddRange(list.EnumerateArray().Select(Framework));
            }

            return frameworks.Count > 0
                ? frameworks
                : throw new FormatException("no framework in runtimeOptions (a self-contained application cannot be preloaded)");
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON: {e.Message}", e);
        }
    }

    private static FrameworkReference Framework(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("a framework entry needs a name and a version");
        }

        // Pre-release suffixes ("10.0.0-rc.2.25502.107") do not matter for choosing an installed version.
        string text = version.GetString()!.Split('-', 2)[0];
        return Version.TryParse(text, out var parsed)
            ? new FrameworkReference(name.GetString()!, parsed)
            : throw new FormatException($"framework {name.GetString()} has an invalid version '{version.GetString()}'");
    }
}
