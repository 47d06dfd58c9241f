namespace ForkServer.Kernel.Options;

/// <summary>One problem found in the configuration, located precisely enough for a user to fix it.</summary>
/// <param name="Source">Where the problem is.</param>
/// <param name="Key">The option concerned, or <c>null</c> when the problem is not about one option (a malformed line).</param>
/// <param name="Message">What is wrong, in lower case, without the location.</param>
internal sealed record ConfigurationError(OptionSource Source, string? Key, string Message)
{
    /// <summary><c>one.ini:3: key 'proceses': unknown option (did you mean 'processes'?)</c>.</summary>
    public override string ToString()
        => Key is null ? $"{Source}: {Message}" : $"{Source}: key '{Key}': {Message}";
}
