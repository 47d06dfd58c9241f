using ForkServer.Abstractions;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>One parsed request as handed to the <see cref="IRequestHandler"/>.</summary>
internal sealed class HttpRequest : IRequest
{
    public required string Method { get; init; }

    public required string RawTarget { get; init; }

    public required string RawPath { get; init; }

    public required string QueryString { get; init; }

    public required string Protocol { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    public ReadOnlyMemory<byte> Body { get; set; }

    public int BodyFile { get; set; } = -1;

    public long BodyLength { get; set; }

    public required string RemoteAddress { get; init; }

    public required int RemotePort { get; init; }

    public required string ServerAddress { get; init; }

    public required int ServerPort { get; init; }

    /// <summary>The bytes the request line and header fields took, blank line included (the request log's size).</summary>
    public int HeadLength { get; init; }

    public string Scheme { get; init; } = "http";

    /// <summary>
    /// The request came in uWSGI's protocol: its response is a plain HTTP/1.1 head and a body the connection's close
    /// ends (never chunked, no <c>Connection</c> field), as uWSGI answers nginx's <c>uwsgi_pass</c>.
    /// </summary>
    public bool ViaUwsgi { get; init; }

    /// <summary>True for <c>HEAD</c>: the response keeps its headers but sends no body bytes.</summary>
    public bool IsHead => ReferenceEquals(Method, HttpTokens.Head);

    /// <summary>True for an HTTP/1.0 request.</summary>
    public bool IsHttp10 => ReferenceEquals(Protocol, HttpTokens.Http10);
}
