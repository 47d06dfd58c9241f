using System.Runtime.InteropServices;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Finds the folders of the shared frameworks (ASP.NET Core) an application needs beside the running .NET runtime,
/// as the <c>dotnet</c> host would for <c>dotnet App.dll</c>: same install, same major version as the runtime that
/// forkserver runs on (the application's assemblies will run on it), the highest patch at or above the requested
/// version.
/// </summary>
internal static class SharedFrameworks
{
    /// <summary>The framework the runtime itself is: it is already loaded.</summary>
    public const string Runtime = "Microsoft.NETCore.App";

    /// <summary>The folders holding <paramref name="references"/>, the runtime's own excluded.</summary>
    /// <exception cref="DirectoryNotFoundException">A framework, or a version of it that fits, is not installed.</exception>
    public static IReadOnlyList<string> Locate(IEnumerable<FrameworkReference> references)
    {
        // .../shared/Microsoft.NETCore.App/10.0.12/ → .../shared/
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/');
        string sharedRoot = Path.GetDirectoryName(Path.GetDirectoryName(runtimeDirectory)!)!;
        var runtimeVersion = Environment.Version;
        var folders = new List<string>();
        foreach (var reference in references.Where(r => r.Name != Runtime))
        {
            string frameworkRoot = Path.Combine(sharedRoot, reference.Name);
            var installed = Directory.Exists(frameworkRoot)
                ? Directory.GetDirectories(frameworkRoot).Select(Path.GetFileName).OfType<string>()
                : [];
            string version = Choose(reference.Version, runtimeVersion.Major, installed)
                ?? throw new DirectoryNotFoundException(
                    $"shared framework {reference.Name} {runtimeVersion.Major}.x (at least {reference.Version}) is not installed in {sharedRoot}");
            folders.Add(Path.Combine(frameworkRoot, version));
        }

        return folders;
    }

    /// <summary>
    /// Of the <paramref name="installed"/> version folders, the highest one with the runtime's major version that is
    /// at least <paramref name="requested"/>; null when none fits.
    /// </summary>
    public static string? Choose(Version requested, int runtimeMajor, IEnumerable<string> installed)
        => installed
            .Select(name => (Name: name, Version: Version.TryParse(name, out var v) ? v : null))
            .Where(c => c.Version is not null && c.Version.Major == runtimeMajor && c.Version >= requested)
            .OrderByDescending(c => c.Version)
            .Select(c => c.Name)
            .FirstOrDefault();
}
