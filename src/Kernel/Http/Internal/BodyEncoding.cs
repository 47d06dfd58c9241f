namespace ForkServer.Kernel.Http.Internal;

/// <summary>How the length of a request body is known.</summary>
internal enum BodyEncoding
{
    /// <summary>No body.</summary>
    None,

    /// <summary>Exactly <c>Content-Length</c> bytes follow the head.</summary>
    ContentLength,

    /// <summary><c>Transfer-Encoding: chunked</c>.</summary>
    Chunked,
}
