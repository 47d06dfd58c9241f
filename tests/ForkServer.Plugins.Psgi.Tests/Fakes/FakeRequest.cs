using ForkServer.Abstractions;

namespace ForkServer.Plugins.Psgi.Tests.Fakes;

/// <summary>A parsed request built directly by a test; strings are Latin-1 byte strings as the kernel makes them.</summary>
internal sealed record FakeRequest : IRequest
{
    public string Method { get; init; } = "GET";
    public string RawTarget => QueryString.Length == 0 ? RawPath : RawPath + "?" + QueryString;
    public string RawPath { get; init; } = "/";
    public string QueryString { get; init; } = "";
    public string Protocol { get; init; } = "HTTP/1.1";
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [new("Host", "localhost:8080")];
    public ReadOnlyMemory<byte> Body { get; init; }
    public int BodyFile { get; init; } = -1;
    public long BodyLength => BodyFile < 0 ? Body.Length : new FileInfo($"/proc/self/fd/{BodyFile}").Length;
    public string RemoteAddress { get; init; } = "127.0.0.1";
    public int RemotePort { get; init; } = 40123;
    public string ServerAddress { get; init; } = "127.0.0.2";
    public int ServerPort { get; init; } = 8080;
    public string Scheme { get; init; } = "http";

    /// <summary>A request whose <c>X-Action</c> header selects the behaviour of <c>apps/features.psgi</c>.</summary>
    public static FakeRequest For(string action, params (string Name, string Value)[] moreHeaders) =>
        new() { Headers = [new("Host", "localhost:8080"), new("X-Action", action), .. moreHeaders.Select(h => KeyValuePair.Create(h.Name, h.Value))] };
}
