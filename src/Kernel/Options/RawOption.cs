namespace ForkServer.Kernel.Options;

/// <summary>One occurrence of an option as read, placeholders expanded but not yet checked against the schema.</summary>
/// <param name="Key">The option name as written (possibly an alias or unknown).</param>
/// <param name="Value">The value, or <c>null</c> for a bare <c>--flag</c>.</param>
/// <param name="Source">Where it was written.</param>
internal sealed record RawOption(string Key, string? Value, OptionSource Source);
