namespace ForkServer.Plugins.DotnetPreload;

/// <summary>The option names the .NET plugin declares.</summary>
internal static class DotnetOptionNames
{
    public const string App = "dotnet";
    public const string EarlyApp = "early-dotnet";
    public const string Argument = "dotnet-arg";
    public const string WarmUp = "dotnet-warm-up";
    public const string PrecompileKestrel = "dotnet-precompile-kestrel";
}
