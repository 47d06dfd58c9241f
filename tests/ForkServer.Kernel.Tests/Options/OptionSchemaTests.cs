using ForkServer.Abstractions;
using ForkServer.Kernel.Options;

namespace ForkServer.Kernel.Tests.Options;

public sealed class OptionSchemaTests
{
    [Fact]
    public void Kernel_options_have_descriptions_and_resolve_their_aliases()
    {
        var schema = ConfigurationDirectory.KernelSchema();

        Assert.All(KernelOptions.All, o => Assert.False(string.IsNullOrWhiteSpace(o.Description)));
        Assert.Equal(KernelOptions.All.Count + UwsgiCompatibility.NoEffect.Count, schema.All.Count);
        Assert.True(schema.TryGet("workers", out var processes));
        Assert.Equal("processes", processes.Name);
        Assert.True(schema.TryGet("plugin", out var plugins));
        Assert.True(plugins.Repeatable);
        Assert.False(schema.TryGet("proceses", out _));
    }

    [Fact]
    public void A_name_declared_twice_is_refused_naming_both_owners()
    {
        var schema = ConfigurationDirectory.KernelSchema();

        var exception = Assert.Throws<InvalidOperationException>(
            () => schema.Add([new OptionDeclaration("processes", OptionType.Integer, "Twice")], "psgi"));

        Assert.Equal("Option 'processes' is declared by both kernel and psgi.", exception.Message);
        Assert.Throws<InvalidOperationException>(
            () => schema.Add([new OptionDeclaration("workers", OptionType.Integer, "An alias")], "psgi"));
    }

    [Fact]
    public void An_alias_must_be_free_and_name_a_declared_option()
    {
        var schema = ConfigurationDirectory.KernelSchema();

        Assert.Throws<InvalidOperationException>(() => schema.AddAlias("procs", "nothing"));
        Assert.Throws<InvalidOperationException>(() => schema.AddAlias("master", "processes"));
        Assert.Throws<InvalidOperationException>(() => schema.AddAlias("workers", "processes"));
    }

    [Theory]
    [InlineData("proceses", "processes")]
    [InlineData("mastr", "master")]
    [InlineData("plugins-dri", "plugins-dir")]
    [InlineData("xyzzy", null)]
    public void Suggestions_are_within_two_edits(string typo, string? expected)
    {
        Assert.Equal(expected, ConfigurationDirectory.KernelSchema().Suggest(typo));
    }
}
