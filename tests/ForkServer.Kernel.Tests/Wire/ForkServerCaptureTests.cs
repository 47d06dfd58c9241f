using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Tests.Wire;

/// <summary>uWSGI's captured request and reply shown in docs/protocol.md#request and #reply, byte for byte.</summary>
public sealed class ForkServerCaptureTests
{
    // docs/protocol.md#request: uWSGI adopting three.ini; argv[0] is the 36-byte item the capture shows (0x24 = 36).
    private static readonly string[] CapturedArgv = ["/usr/local/lib/uwsgi-2.1-dev/bin/uws", "--ini", "three.ini"];

    private static readonly byte[] CapturedRequest =
    [
        0x23, 0x38, 0x00, 0x01,
        0x24, 0x00, .. "/usr/local/lib/uwsgi-2.1-dev/bin/uws"u8,
        0x05, 0x00, .. "--ini"u8,
        0x09, 0x00, .. "three.ini"u8,
    ];

    private static readonly byte[] CapturedReply = [0x23, 0x0b, 0x00, 0x00, 0x03, 0x00, 0x70, 0x69, 0x64, 0x04, 0x00, 0x37, 0x38, 0x31, 0x34];

    [Fact]
    public void The_capture_is_the_60_bytes_the_document_describes()
    {
        Assert.Equal(60, CapturedRequest.Length);
        Assert.Equal(36, CapturedArgv[0].Length);
    }

    [Fact]
    public void Encoding_the_adoption_request_gives_the_captured_bytes()
        => Assert.Equal(CapturedRequest, ForkServerRequest.Encode(CapturedArgv, ForkServerFdMask.Control));

    [Fact]
    public void Decoding_the_captured_request_gives_argv_and_one_control_fd()
    {
        Assert.True(UwsgiPacketHeader.TryRead(CapturedRequest, out var header));
        Assert.Equal(new UwsgiPacketHeader(35, 56, 0x01), header);

        var request = ForkServerRequest.Decode(header, CapturedRequest.AsSpan(UwsgiPacketHeader.Length));

        Assert.Equal(CapturedArgv, request.Argv);
        Assert.Equal(ForkServerFdMask.Control, request.Mask);
        Assert.Equal(1, request.FdCount);
        Assert.Null(request.ConfigFdIndex);
        Assert.Null(request.OnDemandFdIndex);
    }

    [Fact]
    public void Encoding_pid_7814_gives_the_captured_reply() => Assert.Equal(CapturedReply, ForkServerReply.Encode(7814));

    [Fact]
    public void Decoding_the_captured_reply_gives_pid_7814()
    {
        Assert.True(UwsgiPacketHeader.TryRead(CapturedReply, out var header));
        Assert.Equal(7814, ForkServerReply.Decode(header, CapturedReply.AsSpan(UwsgiPacketHeader.Length)));
    }

    [Theory]
    [InlineData(0x01, 1, null, null)]
    [InlineData(0x03, 2, 1, null)]
    [InlineData(0x05, 2, null, 1)]
    [InlineData(0x07, 3, 1, 2)]
    public void The_mask_fixes_the_fd_order(byte mask, int count, int? config, int? onDemand)
    {
        byte[] packet = ForkServerRequest.Encode(["uwsgi"], (ForkServerFdMask)mask);
        UwsgiPacketHeader.TryRead(packet, out var header);
        var request = ForkServerRequest.Decode(header, packet.AsSpan(UwsgiPacketHeader.Length));

        Assert.Equal(mask, packet[3]);
        Assert.Equal(count, request.FdCount);
        Assert.Equal(ForkServerRequest.ControlFdIndex, 0);
        Assert.Equal(config, request.ConfigFdIndex);
        Assert.Equal(onDemand, request.OnDemandFdIndex);
    }
}
