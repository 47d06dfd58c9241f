namespace ForkServer.Abstractions;

/// <summary>
/// Where a handler writes its response. The kernel frames it: with a <c>Content-Length</c> header the body is
/// sent as is, otherwise HTTP/1.1 clients get chunked encoding and HTTP/1.0 clients a closed connection.
/// </summary>
public interface IResponse
{
    /// <summary>Sends the status line and headers. Call exactly once, before any body.</summary>
    /// <param name="status">The status code, 200 to 999: a 1xx is interim, never a final response.</param>
    /// <param name="headers">
    /// Header fields as Latin-1 strings: names are tokens, values hold no control character but HTAB. A
    /// <c>Transfer-Encoding: chunked</c> is dropped: the kernel frames the body itself.
    /// </param>
    /// <exception cref="ArgumentException">A status or header field that breaks these rules (the kernel answers 500 instead).</exception>
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
