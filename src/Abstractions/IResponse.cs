namespace ForkServer.Abstractions;

/// <summary>
/// Where a handler writes its response. The kernel frames it: with a <c>Content-Length</c> header the body is
/// sent as is, otherwise HTTP/1.1 clients get chunked encoding and HTTP/1.0 clients a closed connection.
/// </summary>
public interface IResponse
{
    /// <summary>Sends the status line and headers. Call exactly once, before any body.</summary>
    /// <param name="status">The status code, 100 to 999.</param>
    /// <param name="headers">Header fields as Latin-1 strings; no CR or LF allowed.</param>
    void Start(int status, IReadOnlyList<KeyValuePair<string, string>> headers);

    /// <summary>Sends a piece of the body. Writes after the client went away are dropped.</summary>
    /// <param name="chunk">The bytes.</param>
    void Write(ReadOnlySpan<byte> chunk);

    /// <summary>Ends the response normally.</summary>
    void Complete();

    /// <summary>Ends the response abnormally (an error after the headers were sent): the connection is closed.</summary>
    void Abort();

    /// <summary>True once a write failed because the client closed its connection.</summary>
    bool ClientDisconnected { get; }
}
