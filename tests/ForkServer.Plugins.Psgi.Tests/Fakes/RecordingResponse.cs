using System.Text;
using ForkServer.Abstractions;

namespace ForkServer.Plugins.Psgi.Tests.Fakes;

/// <summary>Records what a handler sends and checks the call order the contract demands.</summary>
internal sealed class RecordingResponse : IResponse
{
    private readonly MemoryStream _body = new();

    public int Status { get; private set; }
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private set; } = [];
    public int StartCalls { get; private set; }
    public int Writes { get; private set; }
    public bool Completed { get; private set; }
    public bool Aborted { get; private set; }
    public bool ClientDisconnected { get; set; }

    public byte[] Body => _body.ToArray();
    public string BodyText => Encoding.Latin1.GetString(_body.GetBuffer(), 0, (int)_body.Length);

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public void Start(int status, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        Assert.Equal(0, StartCalls);
        StartCalls++;
        Status = status;
        Headers = [.. headers];
    }

    public void Write(ReadOnlySpan<byte> chunk)
    {
        Assert.Equal(1, StartCalls);
        Assert.False(Completed || Aborted, "write after the end of the response");
        Writes++;
        _body.Write(chunk);
    }

    public void Complete()
    {
        Assert.Equal(1, StartCalls);
        Assert.False(Completed || Aborted, "response ended twice");
        Completed = true;
    }

    public void Abort()
    {
        Assert.False(Completed || Aborted, "response ended twice");
        Aborted = true;
    }
}
