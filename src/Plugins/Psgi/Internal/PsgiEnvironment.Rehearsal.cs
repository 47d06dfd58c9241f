using ForkServer.Abstractions;

namespace ForkServer.Plugins.Psgi.Internal;

/// <content>Encoding one made-up request in the process that loads the application, before it forks.</content>
internal sealed partial class PsgiEnvironment
{
    /// <summary>
    /// Builds the env of a typical request once, without the application, so that the generic types and runtime
    /// helpers the encoder uses exist before the process forks: each worker inherits them instead of building them
    /// for its first request (0.6 to 0.9 ms of an adopted worker's first response).
    /// </summary>
    public static void Rehearse() => new PsgiEnvironment().Build(new MadeUpRequest());

    private sealed class MadeUpRequest : IRequest
    {
        public string Method => "GET";

        public string RawTarget => "/rehearsal%20path?x=1";

        public string RawPath => "/rehearsal%20path";

        public string QueryString => "x=1";

        public string Protocol => "HTTP/1.1";

        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } =
            [new("Host", "127.0.0.1"), new("Accept", "*/*"), new("Accept", "text/plain"), new("Content-Type", "text/plain")];

        public ReadOnlyMemory<byte> Body => "body"u8.ToArray();

        public int BodyFile => -1;

        public long BodyLength => 4;

        public string RemoteAddress => "127.0.0.1";

        public int RemotePort => 1;

        public string ServerAddress => "127.0.0.1";

        public int ServerPort => 2;

        public string Scheme => "http";
    }
}
