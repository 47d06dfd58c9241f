using ForkServer.Plugins.DotnetPreload.Internal;

namespace ForkServer.Plugins.DotnetPreload.Tests;

public sealed class RuntimeConfigTests
{
    [Fact]
    public void A_web_app_needs_the_runtime_and_asp_net_core()
    {
        var frameworks = RuntimeConfig.ParseFrameworks("""
            {
              "runtimeOptions": {
                "tfm": "net10.0",
                "frameworks": [
                  { "name": "Microsoft.NETCore.App", "version": "10.0.0" },
                  { "name": "Microsoft.AspNetCore.App", "version": "10.0.0" }
                ],
                "configProperties": { "System.GC.Server": true }
              }
            }
            """);

        Assert.Equal(
            [new FrameworkReference("Microsoft.NETCore.App", new Version(10, 0, 0)), new FrameworkReference("Microsoft.AspNetCore.App", new Version(10, 0, 0))],
            frameworks);
    }

    [Fact]
    public void The_single_framework_form_and_prerelease_versions_are_read()
    {
        var frameworks = RuntimeConfig.ParseFrameworks("""{ "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0-rc.2.25502.107" } } }""");

        Assert.Equal([new FrameworkReference("Microsoft.NETCore.App", new Version(10, 0, 0))], frameworks);
    }

    [Theory]
    [InlineData("not json", "invalid JSON")]
    [InlineData("[]", "no runtimeOptions object")]
    [InlineData("""{ "runtimeOptions": { "includedFrameworks": [] } }""", "self-contained")]
    [InlineData("""{ "runtimeOptions": { "frameworks": {} } }""", "frameworks is not an array")]
    [InlineData("""{ "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App" } } }""", "needs a name and a version")]
    [InlineData("""{ "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App", "version": "ten" } } }""", "invalid version 'ten'")]
    public void What_is_not_a_runtimeconfig_is_refused_saying_why(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => RuntimeConfig.ParseFrameworks(json));
        Assert.Contains(reason, error.Message);
    }
}
