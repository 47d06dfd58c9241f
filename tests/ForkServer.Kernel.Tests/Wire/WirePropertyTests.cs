using CsCheck;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Tests.Wire;

/// <summary>Round trips for any strings, and no exception but <see cref="WireFormatException"/> for any bytes.</summary>
public sealed class WirePropertyTests
{
    // Valid Unicode only: lone surrogates cannot be encoded as UTF-8 and are refused by design.
    private static readonly Gen<string> Item = Gen.String[Gen.Char.Where(c => !char.IsSurrogate(c)), 0, 40];

    [Fact]
    public void Arrays_round_trip() => Item.List[0, 20].Sample(items =>
        Assert.Equal(items, UwsgiArray.Decode(UwsgiArray.Encode(items))));

    [Fact]
    public void Dictionaries_round_trip() => Gen.Select(Item.Where(k => k.Length > 0), Item)
        .Select((k, v) => new KeyValuePair<string, string>(k, v)).List[0, 20]
        .Sample(pairs => Assert.Equal(pairs, UwsgiDictionary.Decode(UwsgiDictionary.Encode(pairs))));

    [Fact]
    public void Requests_round_trip() => Gen.Select(Item.List[1, 10], Gen.Int[0, 3].Select(i => (byte)(1 | (i << 1)))).Sample((argv, mask) =>
    {
        byte[] packet = ForkServerRequest.Encode(argv, (ForkServerFdMask)mask);
        Assert.True(UwsgiPacketHeader.TryRead(packet, out var header));
        var request = ForkServerRequest.Decode(header, packet.AsSpan(UwsgiPacketHeader.Length));
        Assert.Equal(argv, request.Argv);
        Assert.Equal((ForkServerFdMask)mask, request.Mask);
    });

    [Fact]
    public void Replies_round_trip() => Gen.Int[1, int.MaxValue].Sample(pid =>
    {
        byte[] packet = ForkServerReply.Encode(pid);
        UwsgiPacketHeader.TryRead(packet, out var header);
        Assert.Equal(pid, ForkServerReply.Decode(header, packet.AsSpan(UwsgiPacketHeader.Length)));
    });

    [Fact]
    public void Arbitrary_bytes_only_ever_raise_WireFormatException() => Gen.Byte.Array[0, 300].Sample(bytes =>
    {
        UwsgiPacketHeader.TryRead(bytes, out var header);
        var body = bytes.AsSpan(Math.Min(bytes.Length, UwsgiPacketHeader.Length));
        var packetHeader = header with { Size = (ushort)body.Length };
        Decodes(() => UwsgiArray.Decode(bytes));
        Decodes(() => UwsgiDictionary.Decode(bytes));
        Decodes(() => ForkServerRequest.Decode(packetHeader, bytes.AsSpan(Math.Min(bytes.Length, 4))));
        Decodes(() => ForkServerReply.Decode(packetHeader, bytes.AsSpan(Math.Min(bytes.Length, 4))));
        Decodes(() => ConfigBlob.Decode(packetHeader, bytes.AsSpan(Math.Min(bytes.Length, 4))));
        Decodes(() => ForkServerRequest.Decode(header, bytes));
    });

    private static void Decodes(Func<object> decode)
    {
        try
        {
            decode();
        }
        catch (WireFormatException)
        {
            // The only failure a decoder may report.
        }
    }
}
