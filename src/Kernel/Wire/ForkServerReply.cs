using System.Globalization;

namespace ForkServer.Kernel.Wire;

/// <summary>
/// The adopted vassal's answer to a fork-server request (docs/protocol.md#reply): <c>modifier1</c> 35,
/// <c>modifier2</c> 0, body a <see cref="UwsgiDictionary"/> holding <c>pid</c> as decimal text.
/// </summary>
internal static class ForkServerReply
{
    private const string PidKey = "pid";

    /// <summary>The reply packet announcing <paramref name="pid"/>.</summary>
    public static byte[] Encode(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        byte[] body = UwsgiDictionary.Encode([new KeyValuePair<string, string>(PidKey, pid.ToString(CultureInfo.InvariantCulture))]);
        byte[] packet = UwsgiPacketHeader.Frame(ForkServerRequest.Modifier1, 0, body.Length, "fork-server reply");
        body.CopyTo(packet.AsSpan(UwsgiPacketHeader.Length));
        return packet;
    }

    /// <summary>The pid in a reply read as <paramref name="header"/> then <paramref name="body"/>.</summary>
    /// <exception cref="WireFormatException">
    /// Wrong modifiers, malformed dictionary, no <c>pid</c> (or two), or a pid that is not a positive decimal.
    /// </exception>
    public static int Decode(UwsgiPacketHeader header, ReadOnlySpan<byte> body)
    {
        if (header.Modifier1 != ForkServerRequest.Modifier1 || header.Modifier2 != 0)
        {
            throw new WireFormatException(
                $"fork-server reply: modifiers are {header.Modifier1}/{header.Modifier2}, expected {ForkServerRequest.Modifier1}/0");
        }

        header.RequireBody(body, "fork-server reply");
        string? text = null;
        foreach (var pair in UwsgiDictionary.Decode(body))
        {
            if (pair.Key == PidKey)
            {
                text = text is null ? pair.Value : throw new WireFormatException("fork-server reply: 'pid' appears twice");
            }
        }

        if (text is null)
        {
            throw new WireFormatException("fork-server reply: no 'pid' key");
        }

        // NumberStyles.None: no sign, no spaces; uWSGI ignores a leading '-' and so do we, loudly.
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0
            ? pid
            : throw new WireFormatException($"fork-server reply: pid '{text}' is not a positive decimal number");
    }
}
