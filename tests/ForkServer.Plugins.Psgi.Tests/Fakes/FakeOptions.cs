using ForkServer.Abstractions;

namespace ForkServer.Plugins.Psgi.Tests.Fakes;

/// <summary>Options as the kernel would have validated them.</summary>
internal sealed class FakeOptions(params (string Name, string Value)[] values) : IOptionValues
{
    public bool Contains(string name) => values.Any(v => v.Name == name);

    public string? GetValue(string name) => values.LastOrDefault(v => v.Name == name).Value;

    public IReadOnlyList<string> GetValues(string name) => [.. values.Where(v => v.Name == name).Select(v => v.Value)];

    public long GetInteger(string name, long defaultValue) => GetValue(name) is { } v ? long.Parse(v) : defaultValue;

    public bool GetFlag(string name, bool defaultValue = false) => GetValue(name) is { } v ? v is "true" or "1" : defaultValue;

    public string DescribeSource(string name) => "test.ini:1";
}
