namespace ForkServer.Kernel.Options;

/// <summary>One checked value of an option and where it was set.</summary>
/// <param name="Value">The value (a flag's normalized to <c>true</c>/<c>false</c>).</param>
/// <param name="Source">Where it was set.</param>
internal sealed record BoundValue(string Value, OptionSource Source);
