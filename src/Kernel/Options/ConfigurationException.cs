namespace ForkServer.Kernel.Options;

/// <summary>
/// The configuration cannot be used. Carries every problem found, not just the first, so a user fixes an ini
/// file in one round instead of one error per restart.
/// </summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ConfigurationError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("A configuration exception needs at least one error.", nameof(errors));
        }

        Errors = errors;
    }

    /// <summary>The problems, in the order they were found.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }
}
