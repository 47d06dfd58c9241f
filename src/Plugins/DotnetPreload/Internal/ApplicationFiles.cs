using ForkServer.Abstractions;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>A .NET application on disk, as <c>dotnet build</c> leaves it: the main assembly and its manifests.</summary>
/// <param name="MainAssembly">Full path of <c>App.dll</c>.</param>
/// <param name="FrameworkDirectories">The shared-framework folders it needs besides the runtime (ASP.NET Core).</param>
internal sealed record ApplicationFiles(string MainAssembly, IReadOnlyList<string> FrameworkDirectories)
{
    /// <summary>The application's folder.</summary>
    public string Directory => Path.GetDirectoryName(MainAssembly)!;

    /// <summary>The file name, for messages (<c>dotnet-hello.dll</c>).</summary>
    public string Name => Path.GetFileName(MainAssembly);

    /// <summary>Checks the files and finds the frameworks; every problem names the file and <paramref name="where"/>.</summary>
    /// <param name="path">The main assembly as configured.</param>
    /// <param name="where">Which option set it and where, such as <c>option early-dotnet, base.ini:3</c>.</param>
    /// <exception cref="ApplicationLoadException">The application cannot be preloaded.</exception>
    public static ApplicationFiles Inspect(string path, string where)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw Problem(full, where, "no such file");
        }

        if (!full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            throw Problem(full, where, "not a .dll: name the application's main assembly (bin/.../App.dll), not its project or apphost");
        }

        string runtimeConfig = Path.ChangeExtension(full, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            throw Problem(full, where, $"{Path.GetFileName(runtimeConfig)} is missing beside it: is it an application (OutputType Exe) built with dotnet build?");
        }

        try
        {
            var frameworks = RuntimeConfig.ParseFrameworks(File.ReadAllText(runtimeConfig));
            return new ApplicationFiles(full, SharedFrameworks.Locate(frameworks));
        }
        catch (FormatException e)
        {
            throw Problem(full, where, $"{runtimeConfig}: {e.Message}", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw Problem(full, where, e.Message, e);
        }
    }

    private static ApplicationLoadException Problem(string path, string where, string problem, Exception? inner = null)
        => new($"cannot preload .NET application {path} ({where}): {problem}", inner);
}
