namespace ForkServer.Abstractions;

/// <summary>The validated configuration of one process: the kernel's options and every loaded plugin's.</summary>
public interface IOptionValues
{
    /// <summary>True when the option was given at least once.</summary>
    /// <param name="name">The option name.</param>
    bool Contains(string name);

    /// <summary>The last value given for the option, or <c>null</c>.</summary>
    /// <param name="name">The option name.</param>
    string? GetValue(string name);

    /// <summary>Every value given for the option, in order (several per occurrence for comma lists are not split).</summary>
    /// <param name="name">The option name.</param>
    IReadOnlyList<string> GetValues(string name);

    /// <summary>The option as a whole number, or <paramref name="defaultValue"/> when absent.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    long GetInteger(string name, long defaultValue);

    /// <summary>The option as a boolean, or <paramref name="defaultValue"/> when absent.</summary>
    /// <param name="name">The option name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    bool GetFlag(string name, bool defaultValue = false);

    /// <summary>Where the last value of the option was set (<c>app.ini:12</c>, <c>command line</c>), for error messages.</summary>
    /// <param name="name">The option name.</param>
    string DescribeSource(string name);
}
