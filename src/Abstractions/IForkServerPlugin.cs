namespace ForkServer.Abstractions;

/// <summary>
/// What the kernel asks of a preloading plugin (a loader for one language or runtime). A plugin is found at
/// run time from the ini <c>plugins =</c> directive; its assembly must contain exactly one public,
/// non-abstract type implementing this interface, with a public parameterless constructor.
/// </summary>
/// <remarks>
/// The kernel owns processes, sockets, HTTP and signals. A plugin owns one thing: an application that is
/// loaded once, before forking, and then serves requests in forked workers. Nothing else is needed to add a
/// language.
/// </remarks>
public interface IForkServerPlugin
{
    /// <summary>The name used in <c>plugins = name</c>, lower case (for example <c>psgi</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The options this plugin adds to the configuration (for example <c>psgi</c> and <c>early-psgi</c>).
    /// The kernel validates them like its own: an option no plugin declares is an error.
    /// </summary>
    IReadOnlyList<OptionDeclaration> Options { get; }

    /// <summary>Loads the application named by the options, as early as the kernel allows.</summary>
    IEarlyLoader Loader { get; }
}
