namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>Perl reported an error (its <c>$@</c> text) or the interpreter could not be started.</summary>
internal sealed class PerlException(string message) : Exception(message);
