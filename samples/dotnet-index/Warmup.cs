using ForkServer.Abstractions;

namespace DotnetIndex;

/// <summary>
/// Run by ForkServer in the base, after the host is built: one search compiles the query path, so that no adopted
/// worker compiles it on its first request. Ignored by a plain `dotnet dotnet-index.dll`.
/// </summary>
public sealed class Warmup : IPreloadHook
{
    public void Preload(IServiceProvider services) => services.GetRequiredService<WordIndex>().Search("b c");
}
