using ForkServer.Abstractions;

namespace ForkServer.Plugins.DotnetPreload;

/// <summary>
/// Preloads ASP.NET Core applications: the application's <c>Main</c> runs once, in the process that forks, up to
/// the point where its host would start; every worker then starts that already-built host (Kestrel on the worker's
/// listening socket), sharing the loaded, compiled application copy-on-write.
/// </summary>
/// <remarks>
/// <para>Options: <c>early-dotnet</c> loads in <see cref="LoadPhase.Early"/> (the form a fork-server base needs),
/// <c>dotnet</c> in <see cref="LoadPhase.Master"/>; the early one wins when both are given. Both name the
/// application's main assembly (<c>App.dll</c>, built with <c>dotnet build</c>, its <c>.deps.json</c> and
/// <c>.runtimeconfig.json</c> beside it). <c>dotnet-arg</c> (repeatable) is passed to <c>Main</c>'s
/// <c>args</c>. <c>dotnet-warm-up</c> (default true) builds the request pipeline in the process that forks and
/// sends it one request to a path no application routes, so workers inherit the compiled request path. <c>dotnet-precompile-kestrel</c> (default true) compiles there
/// the generic methods Kestrel's start and first request would otherwise JIT-compile in every worker.</para>
/// <para>What an application must not do before fork, and how to make one preload-friendly:
/// docs/dotnet.md#making-an-app-preload-friendly.</para>
/// </remarks>
public sealed class DotnetPlugin : IForkServerPlugin
{
    /// <inheritdoc />
    public string Name => "dotnet";

    /// <inheritdoc />
    public IReadOnlyList<OptionDeclaration> Options { get; } =
    [
        new(DotnetOptionNames.App, OptionType.Path, ".NET application (its main .dll) loaded in the vassal's master"),
        new(DotnetOptionNames.EarlyApp, OptionType.Path, ".NET application (its main .dll) loaded right after the options are parsed, before anything else"),
        new(DotnetOptionNames.Argument, OptionType.Text, "argument passed to the .NET application's Main", Repeatable: true),
        new(DotnetOptionNames.WarmUp, OptionType.Flag, $"build the .NET application's request pipeline and send it one request ({Internal.WarmUpRequest.Path}) before fork (default true)"),
        new(DotnetOptionNames.PrecompileKestrel, OptionType.Flag, "compile before fork the generic methods a worker's Kestrel would JIT-compile to start and serve its first request (default true)"),
    ];

    /// <inheritdoc />
    public IEarlyLoader Loader { get; } = new DotnetLoader();
}
