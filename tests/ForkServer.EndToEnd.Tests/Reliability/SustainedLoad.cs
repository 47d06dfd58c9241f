namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// Tests that keep both cores busy with HTTP load run apart from the rest: they would slow every other test's
/// timing bounds, and others' work would slow their load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SustainedLoad
{
    public const string Name = "sustained HTTP load";

    /// <summary>
    /// For the Emperor's environment: a 1 MiB gen-0 budget, so every worker under load collects garbage many times a
    /// second (the kernel sets its own 4 MiB only when the variable is unset).
    /// </summary>
    public static IReadOnlyDictionary<string, string> SmallGen0Budget { get; } = new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0x100000" };
}
