namespace ForkServer.Abstractions;

/// <summary>
/// One HTTP request as the kernel parsed it. Strings are Latin-1 decodings of the bytes on the wire, so every
/// byte round-trips (a PSGI env needs bytes, not text).
/// </summary>
public interface IRequest
{
    /// <summary>The method, such as <c>GET</c>.</summary>
    string Method { get; }

    /// <summary>
    /// The request-target as sent (<c>/a%20b?x=1</c>), in origin form: an absolute-form target
    /// (<c>http://host/a?x=1</c>) is reduced to its path and query, and its host replaces the <c>Host</c> field.
    /// </summary>
    string RawTarget { get; }

    /// <summary>The path part of <see cref="RawTarget"/>, still percent-encoded.</summary>
    string RawPath { get; }

    /// <summary>The query string without the <c>?</c>, empty when there is none.</summary>
    string QueryString { get; }

    /// <summary>The protocol from the request line, such as <c>HTTP/1.1</c>.</summary>
    string Protocol { get; }

    /// <summary>The header fields in arrival order, names as sent (repeated names stay separate entries).</summary>
    IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>
    /// The whole request body, de-chunked, when it is held in memory; empty when there is none or when it is in
    /// <see cref="BodyFile"/>.
    /// </summary>
    ReadOnlyMemory<byte> Body { get; }

    /// <summary>
    /// A readable descriptor of the unlinked temporary file holding the whole body, de-chunked, when it was larger
    /// than the post-buffering size; -1 when the body is in <see cref="Body"/>. The kernel owns it and closes it
    /// once the handler returns: read it with pread(2), or dup it and seek to 0 first.
    /// </summary>
    int BodyFile { get; }

    /// <summary>The body's length in bytes, in memory or in <see cref="BodyFile"/>.</summary>
    long BodyLength { get; }

    /// <summary>The peer's address (<c>127.0.0.1</c>).</summary>
    string RemoteAddress { get; }

    /// <summary>The peer's port.</summary>
    int RemotePort { get; }

    /// <summary>The address the listening socket is bound to.</summary>
    string ServerAddress { get; }

    /// <summary>The port the listening socket is bound to.</summary>
    int ServerPort { get; }

    /// <summary><c>http</c> (TLS is not terminated by ForkServer).</summary>
    string Scheme { get; }
}
