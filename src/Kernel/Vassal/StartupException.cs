namespace ForkServer.Kernel.Vassal;

/// <summary>A vassal cannot start; the message says why and where the cause was configured.</summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
