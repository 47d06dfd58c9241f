using System.Runtime.CompilerServices;
using ForkServer.Abstractions;
using ForkServer.Plugins.DotnetPreload.Internal;

namespace ForkServer.Plugins.DotnetPreload;

/// <summary>
/// Loads the .NET application of the current phase: <c>early-dotnet</c> in <see cref="LoadPhase.Early"/>,
/// <c>dotnet</c> in <see cref="LoadPhase.Master"/> unless an <c>early-dotnet</c> took precedence.
/// </summary>
internal sealed class DotnetLoader : IEarlyLoader
{
    /// <summary>The logger category of everything the plugin logs.</summary>
    internal const string LogCategory = "ForkServer.Plugins.DotnetPreload";

    public IPreloadedApplication? Load(LoadContext context)
    {
        string? option = OptionFor(context);
        if (option is null)
        {
            return null;
        }

        var files = ApplicationFiles.Inspect(context.Options.GetValue(option)!, $"option {option}, {context.Options.DescribeSource(option)}");
        var assemblies = ApplicationAssemblies.Install(files);
        return Preload(files, assemblies, context);
    }

    // Kept out of Load: compiling a method that names ASP.NET Core types loads them, and they can only be found once
    // ApplicationAssemblies has hooked their resolution.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IPreloadedApplication Preload(ApplicationFiles files, ApplicationAssemblies assemblies, LoadContext context)
        => ApplicationPreloader.Preload(
            files, assemblies, context.Options.GetValues(DotnetOptionNames.Argument), context.Options.GetFlag(DotnetOptionNames.WarmUp, defaultValue: true),
            context.Options.GetFlag(DotnetOptionNames.PrecompileKestrel, defaultValue: true), context.Logging);

    private static string? OptionFor(LoadContext context) => context.Phase switch
    {
        LoadPhase.Early when context.Options.Contains(DotnetOptionNames.EarlyApp) => DotnetOptionNames.EarlyApp,
        LoadPhase.Master when context.Options.Contains(DotnetOptionNames.App) && !context.Options.Contains(DotnetOptionNames.EarlyApp)
            => DotnetOptionNames.App,
        _ => null,
    };
}
