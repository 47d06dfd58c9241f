namespace ForkServer.Kernel.Wire;

/// <summary>
/// A uwsgi packet that cannot be encoded or decoded: says what was wrong and, when it applies, at which byte
/// offset of the body.
/// </summary>
internal sealed class WireFormatException : Exception
{
    public WireFormatException(string message)
        : base(message)
    {
    }

    public WireFormatException(string message, int offset)
        : base($"{message} (at body offset {offset})")
    {
        Offset = offset;
    }

    public WireFormatException(string message, int offset, Exception inner)
        : base($"{message} (at body offset {offset})", inner)
    {
        Offset = offset;
    }

    /// <summary>The body offset of the fault, when it has one.</summary>
    public int? Offset { get; }
}
