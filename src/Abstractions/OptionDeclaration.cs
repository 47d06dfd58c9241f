namespace ForkServer.Abstractions;

/// <summary>One configuration option, as a plugin or the kernel declares it.</summary>
/// <param name="Name">The option name as written in an ini file or after <c>--</c> (<c>early-psgi</c>).</param>
/// <param name="Type">How its value is checked.</param>
/// <param name="Description">One line for <c>--help</c> and error messages.</param>
/// <param name="Repeatable">True when every occurrence adds to a list instead of replacing the value.</param>
public sealed record OptionDeclaration(string Name, OptionType Type, string Description, bool Repeatable = false);
