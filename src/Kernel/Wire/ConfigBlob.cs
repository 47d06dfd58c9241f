using System.Text;

namespace ForkServer.Kernel.Wire;

/// <summary>
/// The config text an Emperor pushes through a vassal's config socket (docs/protocol.md#config-pipe): one packet with
/// <c>modifier1</c> 115, <c>modifier2</c> 0 and the raw config as the body. An empty blob is an error: the
/// vassal would have nothing to run.
/// </summary>
internal static class ConfigBlob
{
    /// <summary><c>modifier1</c> of a config blob.</summary>
    public const byte Modifier1 = 115;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The packet carrying <paramref name="config"/> as UTF-8.</summary>
    /// <exception cref="WireFormatException">The config is empty, not encodable, or over 65535 bytes.</exception>
    public static byte[] Encode(string config)
    {
        int length;
        try
        {
            length = Strict.GetByteCount(config);
        }
        catch (EncoderFallbackException e)
        {
            throw new WireFormatException($"config blob: the text is not valid Unicode: {e.Message}");
        }

        if (length == 0)
        {
            throw new WireFormatException("config blob: the config is empty");
        }

        byte[] packet = UwsgiPacketHeader.Frame(Modifier1, 0, length, "config blob");
        Strict.GetBytes(config, packet.AsSpan(UwsgiPacketHeader.Length));
        return packet;
    }

    /// <summary>The config text in a blob read as <paramref name="header"/> then <paramref name="body"/>.</summary>
    /// <exception cref="WireFormatException">Wrong modifiers, size 0, or a body that is not UTF-8.</exception>
    public static string Decode(UwsgiPacketHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Modifier1 != Modifier1 || header.Modifier2 != 0)
        {
            throw new WireFormatException($"config blob: modifiers are {header.Modifier1}/{header.Modifier2}, expected {Modifier1}/0");
        }

        if (header.Size == 0)
        {
            throw new WireFormatException("config blob: size 0 (the Emperor has no config for this vassal)");
        }

        header.RequireBody(body, "config blob");
        try
        {
            return Strict.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            throw new WireFormatException("config blob: the text is not valid UTF-8", e.Index, e);
        }
    }
}
