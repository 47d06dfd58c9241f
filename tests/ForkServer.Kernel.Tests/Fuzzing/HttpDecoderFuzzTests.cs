using System.Buffers;
using System.Text;
using CsCheck;
using ForkServer.Kernel.Http.Internal;
using HttpProtocolException = ForkServer.Kernel.Http.Internal.HttpProtocolException;

namespace ForkServer.Kernel.Tests.Fuzzing;

/// <summary>
/// The worker's HTTP decoders on their own (HttpFuzzTests drives a whole connection): mutated request heads and
/// chunked bodies give a value or an <see cref="HttpProtocolException"/> carrying a 4xx/5xx status and a reason,
/// and a head or body split at any point decodes exactly as it does in one piece.
/// </summary>
public sealed class HttpDecoderFuzzTests
{
    private static readonly ConnectionEndpoints Endpoints = new("127.0.0.1", 40000, "127.0.0.1", 8080);
    private static readonly int[] Statuses = [400, 413, 431, 501, 505];

    private static readonly string[] Heads =
    [
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /form?a=1&b=%20 HTTP/1.1\r\nHost: example.org\r\nContent-Length: 11\r\nConnection: close\r\n\r\n",
        "PUT /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
        "\r\nGET /old HTTP/1.0\r\nConnection: keep-alive\r\nX-Thing:   padded value\t\r\n\r\n",
    ];

    private static readonly Gen<byte[]> Head = Mutation.Of(Gen.Int[0, Heads.Length - 1].Select(i => Encoding.ASCII.GetBytes(Heads[i])));

    // Valid chunked bodies: chunks of random sizes (hex in either case, optional extensions), optional trailers.
    private static readonly Gen<(byte[] Body, byte[] Encoded)> Chunked =
        Gen.Select(Gen.Byte.Array[0, 40].Array[0, 6], Gen.Bool, Gen.Bool, (chunks, upper, trailer) =>
        {
            var encoded = new StringBuilder();
            foreach (byte[] chunk in chunks.Where(c => c.Length > 0))
            {
                encoded.Append(upper ? chunk.Length.ToString("X") : chunk.Length.ToString("x"));
                encoded.Append(upper ? ";ext=1\r\n" : "\r\n").Append(Encoding.Latin1.GetString(chunk)).Append("\r\n");
            }

            encoded.Append("0\r\n").Append(trailer ? "Trailer-Field: v\r\n" : "").Append("\r\n");
            return (chunks.SelectMany(c => c).ToArray(), Encoding.Latin1.GetBytes(encoded.ToString()));
        });

    [Fact]
    public void Mutated_heads_parse_or_are_refused_with_a_status_and_a_reason_whole_or_in_pieces()
        => Bounded.Run(nameof(Mutated_heads_parse_or_are_refused_with_a_status_and_a_reason_whole_or_in_pieces), () =>
            Gen.Select(Head, Gen.Int[0, 200]).Sample(
                (bytes, split) =>
                {
                    var whole = Parse(bytes);
                    var prefix = Parse(bytes[..Math.Min(split, bytes.Length)]);

                    // A head is decided by its first blank line: a prefix that holds one decides exactly as the whole.
                    if (prefix.Request is not null || prefix.Error is not null)
                    {
                        Assert.Equal(whole, prefix);
                    }
                },
                iter: 4000,
                threads: 1));

    [Fact]
    public void Chunked_bodies_decode_to_the_same_bytes_however_they_are_split()
        => Bounded.Run(nameof(Chunked_bodies_decode_to_the_same_bytes_however_they_are_split), () =>
            Gen.Select(Chunked, Gen.Int[1, 64], Gen.Byte.Array[0, 8]).Sample(
                (chunked, piece, next) =>
                {
                    var body = new ArrayBufferWriter<byte>();
                    var decoder = new ChunkedBodyDecoder(body, maxBodyBytes: 1 << 20, maxTrailerBytes: 1024);
                    byte[] input = [.. chunked.Encoded, .. next];

                    // As a connection does: the decoder sees what arrived and was not consumed yet.
                    var pending = new List<byte>();
                    int fed = 0, offset = 0;
                    bool done = false;
                    while (!done)
                    {
                        int take = Math.Min(piece, input.Length - fed);
                        pending.AddRange(input[fed..(fed + take)]);
                        fed += take;
                        done = decoder.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending), out int consumed);
                        pending.RemoveRange(0, consumed);
                        offset += consumed;
                        if (take == 0)
                        {
                            break;
                        }
                    }

                    Assert.True(done);
                    Assert.Equal(chunked.Encoded.Length, offset);
                    Assert.Equal(chunked.Body, body.WrittenSpan.ToArray());
                },
                iter: 3000,
                threads: 1));

    [Fact]
    public void Mutated_chunked_bodies_decode_or_are_refused_with_a_status()
        => Bounded.Run(nameof(Mutated_chunked_bodies_decode_or_are_refused_with_a_status), () =>
            Mutation.Of(Chunked.Select(c => c.Encoded)).Sample(
                bytes =>
                {
                    var body = new ArrayBufferWriter<byte>();
                    var decoder = new ChunkedBodyDecoder(body, maxBodyBytes: 64, maxTrailerBytes: 64);
                    try
                    {
                        if (decoder.Decode(bytes, out int consumed))
                        {
                            Assert.InRange(consumed, 1, bytes.Length);
                            Assert.InRange(body.WrittenCount, 0, 64);
                        }
                    }
                    catch (HttpProtocolException e)
                    {
                        Assert.Contains(e.Status, Statuses);
                        Assert.False(string.IsNullOrWhiteSpace(e.Message));
                    }
                },
                iter: 4000,
                threads: 1));

    /// <summary>Parses a head: the request's salient fields, an error "status reason", or neither (incomplete).</summary>
    private static (string? Request, string? Error) Parse(byte[] bytes)
    {
        try
        {
            if (!HttpRequestParser.TryParse(bytes, 8192, Endpoints, out int consumed, out var request, out var framing))
            {
                return (null, null);
            }

            Assert.InRange(consumed, 1, bytes.Length);
            string headers = string.Join("|", request!.Headers.Select(h => h.Key + ":" + h.Value));
            return ($"{request.Method} {request.RawTarget} {request.Protocol} {headers} {framing} {consumed}", null);
        }
        catch (HttpProtocolException e)
        {
            Assert.Contains(e.Status, Statuses);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return (null, $"{e.Status} {e.Message}");
        }
    }
}
