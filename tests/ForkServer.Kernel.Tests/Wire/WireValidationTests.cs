using System.Text;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Tests.Wire;

/// <summary>What the codecs refuse, and what their messages say.</summary>
public sealed class WireValidationTests
{
    [Fact]
    public void Header_needs_four_bytes_and_is_little_endian()
    {
        Assert.False(UwsgiPacketHeader.TryRead([35, 1, 2], out _));
        Span<byte> bytes = stackalloc byte[4];
        new UwsgiPacketHeader(115, 0x0201, 7).Write(bytes);
        Assert.Equal([115, 0x01, 0x02, 7], bytes.ToArray());
    }

    [Fact]
    public void An_array_item_running_past_the_end_names_its_offset()
    {
        byte[] body = [0x01, 0x00, (byte)'a', 0x05, 0x00, (byte)'b'];
        var error = Assert.Throws<WireFormatException>(() => UwsgiArray.Decode(body));
        Assert.Equal(3, error.Offset);
        Assert.Contains("array item 1", error.Message);
        Assert.Contains("offset 3", error.Message);
    }

    [Fact]
    public void A_dangling_length_byte_is_an_error() => Assert.Throws<WireFormatException>(() => UwsgiArray.Decode([0x00, 0x00, 0x01]));

    [Fact]
    public void Empty_items_and_empty_bodies_are_allowed()
    {
        Assert.Empty(UwsgiArray.Decode([]));
        Assert.Equal(["", "x"], UwsgiArray.Decode(UwsgiArray.Encode(["", "x"])));
    }

    [Fact]
    public void Oversized_items_and_bodies_are_refused_not_truncated()
    {
        Assert.Throws<WireFormatException>(() => UwsgiArray.Encode([new string('a', 65536)]));
        Assert.Equal(65535, UwsgiArray.Encode([new string('a', 65533)]).Length);
        Assert.Throws<WireFormatException>(() => UwsgiArray.Encode([new string('a', 65534)]));
        var error = Assert.Throws<WireFormatException>(() => ForkServerRequest.Encode([new string('a', 40000), new string('b', 40000)], ForkServerFdMask.Control));
        Assert.Contains("65535", error.Message);
    }

    [Fact]
    public void Dictionary_keys_must_not_be_empty_but_values_may()
    {
        Assert.Throws<WireFormatException>(() => UwsgiDictionary.Encode([new("", "v")]));
        byte[] body = [0x00, 0x00, 0x01, 0x00, (byte)'v'];
        Assert.Equal(0, Assert.Throws<WireFormatException>(() => UwsgiDictionary.Decode(body)).Offset);
        var pairs = UwsgiDictionary.Decode(UwsgiDictionary.Encode([new("k", "")]));
        Assert.Equal([new KeyValuePair<string, string>("k", "")], pairs);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_not_a_replacement_character()
        => Assert.Throws<WireFormatException>(() => UwsgiArray.Decode([0x01, 0x00, 0xff]));

    [Theory]
    [InlineData(34, 0x01, "modifier1 is 34")]
    [InlineData(35, 0x00, "lacks the control fd")]
    [InlineData(35, 0x02, "lacks the control fd")]
    [InlineData(35, 0x09, "bits other than")]
    public void Requests_with_a_wrong_modifier_are_refused(byte modifier1, byte modifier2, string reason)
    {
        byte[] body = UwsgiArray.Encode(["uwsgi"]);
        var header = new UwsgiPacketHeader(modifier1, (ushort)body.Length, modifier2);
        Assert.Contains(reason, Assert.Throws<WireFormatException>(() => ForkServerRequest.Decode(header, body)).Message);
    }

    [Fact]
    public void Requests_need_argv_and_a_body_of_the_announced_size()
    {
        Assert.Contains("argv is empty", Assert.Throws<WireFormatException>(() => ForkServerRequest.Decode(new UwsgiPacketHeader(35, 0, 1), [])).Message);
        Assert.Throws<WireFormatException>(() => ForkServerRequest.Encode([], ForkServerFdMask.Control));
        Assert.Throws<WireFormatException>(() => ForkServerRequest.Decode(new UwsgiPacketHeader(35, 9, 1), UwsgiArray.Encode(["a"])));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("12a")]
    [InlineData(" 12")]
    [InlineData("")]
    [InlineData("99999999999")]
    public void Reply_pids_must_be_positive_decimals(string pid)
    {
        byte[] body = UwsgiDictionary.Encode([new("pid", pid)]);
        Assert.Throws<WireFormatException>(() => ForkServerReply.Decode(new UwsgiPacketHeader(35, (ushort)body.Length, 0), body));
    }

    [Fact]
    public void Replies_without_exactly_one_pid_are_refused()
    {
        byte[] none = UwsgiDictionary.Encode([new("ppid", "12")]);
        Assert.Contains("no 'pid'", Assert.Throws<WireFormatException>(() => ForkServerReply.Decode(new UwsgiPacketHeader(35, (ushort)none.Length, 0), none)).Message);
        byte[] two = UwsgiDictionary.Encode([new("pid", "12"), new("pid", "13")]);
        Assert.Throws<WireFormatException>(() => ForkServerReply.Decode(new UwsgiPacketHeader(35, (ushort)two.Length, 0), two));
    }

    [Fact]
    public void Config_blobs_round_trip_and_refuse_size_zero()
    {
        const string Config = "[uwsgi]\nhttp = :8080\nmodule = héllo\n";
        byte[] packet = ConfigBlob.Encode(Config);
        Assert.Equal([115, (byte)Encoding.UTF8.GetByteCount(Config), 0, 0], packet[..4]);
        UwsgiPacketHeader.TryRead(packet, out var header);
        Assert.Equal(Config, ConfigBlob.Decode(header, packet.AsSpan(4)));

        Assert.Contains("size 0", Assert.Throws<WireFormatException>(() => ConfigBlob.Decode(new UwsgiPacketHeader(115, 0, 0), [])).Message);
        Assert.Throws<WireFormatException>(() => ConfigBlob.Encode(""));
        Assert.Throws<WireFormatException>(() => ConfigBlob.Decode(new UwsgiPacketHeader(35, 1, 0), "x"u8));
        Assert.Throws<WireFormatException>(() => ConfigBlob.Encode(new string('x', 65536)));
    }
}
