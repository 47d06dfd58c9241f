namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>A real HTTP client with a bounded timeout, for talking to a vassal.</summary>
internal static class Http
{
    public static HttpClient Client(int port) => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>GET on a fresh connection (so that any worker may take it); returns status and body.</summary>
    public static async Task<(int Status, string Body)> GetFresh(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Parses the <c>key=value</c> lines that apps/info.psgi answers with.</summary>
    public static Dictionary<string, string> Facts(string body)
        => body.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
}
