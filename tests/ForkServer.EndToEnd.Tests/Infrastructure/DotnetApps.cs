namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>Where the solution build puts the ASP.NET Core applications the .NET plugin's tests preload.</summary>
internal static class DotnetApps
{
    /// <summary>samples/dotnet-hello: the unchanged minimal-API template.</summary>
    public static string Hello => Sample("dotnet-hello");

    /// <summary>tests/DotnetApps/preload-violations: answers "pid N"; <c>violation=...</c> breaks the preload rules.</summary>
    public static string Violations => Path.Combine(RepositoryLayout.Root, "artifacts", "test-apps", "preload-violations", "preload-violations.dll");

    public static string Sample(string name) => Path.Combine(RepositoryLayout.Root, "artifacts", "samples", name, name + ".dll");
}
