namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>One shared framework an application's runtimeconfig asks for.</summary>
/// <param name="Name">The framework, such as <c>Microsoft.AspNetCore.App</c>.</param>
/// <param name="Version">The lowest version it accepts.</param>
internal sealed record FrameworkReference(string Name, Version Version);
