namespace ForkServer.Kernel.Wire;

/// <summary>
/// An adoption request from the Emperor to the fork server (docs/protocol.md#request): <c>modifier1</c> 35,
/// <c>modifier2</c> the <see cref="ForkServerFdMask"/>, body the vassal's argv as a <see cref="UwsgiArray"/>.
/// The fds themselves travel beside the bytes, in one <c>SCM_RIGHTS</c> message.
/// </summary>
internal sealed class ForkServerRequest
{
    /// <summary><c>modifier1</c> of requests and replies.</summary>
    public const byte Modifier1 = 35;

    /// <summary>Where the control fd sits among the passed fds.</summary>
    public const int ControlFdIndex = 0;

    private const ForkServerFdMask KnownBits = ForkServerFdMask.Control | ForkServerFdMask.Config | ForkServerFdMask.OnDemand;

    private ForkServerRequest(IReadOnlyList<string> argv, ForkServerFdMask mask)
    {
        Argv = argv;
        Mask = mask;
    }

    /// <summary>The argv the vassal would get from <c>execve</c>; element 0 is only used for the process title.</summary>
    public IReadOnlyList<string> Argv { get; }

    /// <summary>Which fds accompany the request.</summary>
    public ForkServerFdMask Mask { get; }

    /// <summary>How many fds the mask announces (1 to 3).</summary>
    public int FdCount => FdCountOf(Mask);

    /// <summary>Where the config fd sits among the passed fds, or null without one.</summary>
    public int? ConfigFdIndex => Mask.HasFlag(ForkServerFdMask.Config) ? 1 : null;

    /// <summary>Where the on-demand socket sits: after the config fd when there is one.</summary>
    public int? OnDemandFdIndex => Mask.HasFlag(ForkServerFdMask.OnDemand) ? (ConfigFdIndex ?? ControlFdIndex) + 1 : null;

    /// <summary>How many fds <paramref name="mask"/> announces.</summary>
    public static int FdCountOf(ForkServerFdMask mask) => System.Numerics.BitOperations.PopCount((uint)mask);

    /// <summary>Header and body of a request, ready for the one <c>sendmsg</c> that carries the fds.</summary>
    /// <exception cref="WireFormatException">argv is empty, the mask is invalid, or argv does not fit 65535 bytes.</exception>
    public static byte[] Encode(IReadOnlyList<string> argv, ForkServerFdMask mask)
    {
        Validate(argv.Count, mask);
        int bodyLength = UwsgiArray.EncodedLength(argv);
        byte[] packet = UwsgiPacketHeader.Frame(Modifier1, (byte)mask, bodyLength, "fork-server request");
        int offset = UwsgiPacketHeader.Length;
        UwsgiArray.Write(argv, packet, ref offset);
        return packet;
    }

    /// <summary>Validates and decodes a request read as <paramref name="header"/> then <paramref name="body"/>.</summary>
    /// <exception cref="WireFormatException">Wrong modifier1, invalid mask, empty or malformed argv.</exception>
    public static ForkServerRequest Decode(UwsgiPacketHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Modifier1 != Modifier1)
        {
            throw new WireFormatException($"fork-server request: modifier1 is {header.Modifier1}, expected {Modifier1}");
        }

        header.RequireBody(body, "fork-server request");
        var argv = UwsgiArray.Decode(body);
        var mask = (ForkServerFdMask)header.Modifier2;
        Validate(argv.Count, mask);
        return new ForkServerRequest(argv, mask);
    }

    private static void Validate(int argc, ForkServerFdMask mask)
    {
        if ((mask & ~KnownBits) != 0)
        {
            throw new WireFormatException($"fork-server request: fd mask 0x{(byte)mask:x2} has bits other than 0x01, 0x02 and 0x04");
        }

        if (!mask.HasFlag(ForkServerFdMask.Control))
        {
            throw new WireFormatException($"fork-server request: fd mask 0x{(byte)mask:x2} lacks the control fd (0x01)");
        }

        if (argc == 0)
        {
            throw new WireFormatException("fork-server request: argv is empty");
        }
    }
}
