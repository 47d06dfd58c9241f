namespace ForkServer.Abstractions;

/// <summary>
/// One HTTP request as the kernel parsed it. Strings are Latin-1 decodings of the bytes on the wire, so every
/// byte round-trips (a PSGI env needs bytes, not text).
/// </summary>
public interface IRequest
{
    /// <summary>The method, such as <c>GET</c>.</summary>
    string Method { get; }

    /// <summary>The request-target exactly as sent (<c>/a%20b?x=1</c>).</summary>
    string RawTarget { get; }

    /// <summary>The path part of <see cref="RawTarget"/>, still percent-encoded.</summary>
    string RawPath { get; }

    /// <summary>The query string without the <c>?</c>, empty when there is none.</summary>
    string QueryString { get; }

    /// <summary>The protocol from the request line, such as <c>HTTP/1.1</c>.</summary>
    string Protocol { get; }

    /// <summary>The header fields in arrival order, names as sent (repeated names stay separate entries).</summary>
    IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The whole request body, de-chunked; empty when there is none.</summary>
    ReadOnlyMemory<byte> Body { get; }

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
