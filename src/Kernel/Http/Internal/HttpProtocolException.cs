namespace ForkServer.Kernel.Http.Internal;

/// <summary>A request the server refuses: answered with <see cref="Status"/> and a closed connection.</summary>
internal sealed class HttpProtocolException(int status, string reason) : Exception(reason)
{
    /// <summary>The 4xx or 5xx status to answer with.</summary>
    public int Status { get; } = status;
}
