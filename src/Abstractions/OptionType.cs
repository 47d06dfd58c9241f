namespace ForkServer.Abstractions;

/// <summary>How an option's value is checked and read.</summary>
public enum OptionType
{
    /// <summary>Any text.</summary>
    Text,

    /// <summary>A whole number (decimal).</summary>
    Integer,

    /// <summary>
    /// A boolean: <c>true/false</c>, <c>yes/no</c>, <c>on/off</c>, <c>1/0</c>; given bare (<c>--flag</c> or a
    /// key with no value) it means true.
    /// </summary>
    Flag,

    /// <summary>
    /// A file system path. As in uWSGI, a relative path is relative to the working directory (write <c>%d</c>
    /// for the directory of the ini file).
    /// </summary>
    Path,
}
