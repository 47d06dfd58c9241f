using System.Net.Sockets;
using System.Text.Json;

namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>Reads the Emperor's stats document from its unix socket.</summary>
internal static class EmperorStatsClient
{
    public static JsonDocument Read(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = 10_000;
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        using var stream = new NetworkStream(socket);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return JsonDocument.Parse(buffer.ToArray());
    }

    /// <summary>The vassal object with <c>id</c> = <paramref name="name"/>, or null.</summary>
    public static JsonElement? Vassal(JsonDocument stats, string name)
    {
        foreach (var vassal in stats.RootElement.GetProperty("vassals").EnumerateArray())
        {
            if (vassal.GetProperty("id").GetString() == name)
            {
                return vassal;
            }
        }

        return null;
    }
}
