namespace ForkServer.Kernel.Tests.Http;

/// <summary>A response as it came off the wire.</summary>
internal sealed record RawHttpResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name)
        => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public string BodyText => System.Text.Encoding.Latin1.GetString(Body);
}
