using ForkServer.Kernel.Options;

namespace ForkServer.Kernel.Tests.Options;

/// <summary>A throw-away working directory holding real ini files, removed on dispose.</summary>
internal sealed class ConfigurationDirectory : IDisposable
{
    public ConfigurationDirectory()
    {
        Path = Directory.CreateTempSubdirectory("forkserver-options-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/>, creating directories.</summary>
    public ConfigurationDirectory Write(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return this;
    }

    /// <summary>Reads and binds <paramref name="args"/> against the kernel's options, from this directory.</summary>
    public OptionValues Load(params string[] args) => OptionValues.Load(args, Path, KernelSchema());

    /// <summary>The errors loading <paramref name="args"/> reports, one string each.</summary>
    public string[] Errors(params string[] args)
    {
        var exception = Assert.Throws<ConfigurationException>(() => Load(args));
        return exception.Errors.Select(e => e.ToString()).ToArray();
    }

    public static OptionSchema KernelSchema()
    {
        var schema = new OptionSchema();
        KernelOptions.Register(schema);
        return schema;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
