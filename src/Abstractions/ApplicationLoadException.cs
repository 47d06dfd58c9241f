namespace ForkServer.Abstractions;

/// <summary>An application failed to load. The message names the file and says what went wrong.</summary>
public sealed class ApplicationLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the application file.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ApplicationLoadException(string message, Exception? inner = null) : base(message, inner) { }
}
