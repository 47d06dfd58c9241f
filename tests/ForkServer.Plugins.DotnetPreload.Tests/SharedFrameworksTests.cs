using ForkServer.Plugins.DotnetPreload.Internal;

namespace ForkServer.Plugins.DotnetPreload.Tests;

public sealed class SharedFrameworksTests
{
    [Fact]
    public void The_highest_patch_of_the_runtimes_major_version_wins()
        => Assert.Equal("10.0.12", SharedFrameworks.Choose(new Version(10, 0, 0), 10, ["9.0.5", "10.0.2", "10.0.12", "11.0.0"]));

    [Fact]
    public void A_version_below_the_requested_one_does_not_fit()
        => Assert.Null(SharedFrameworks.Choose(new Version(10, 0, 5), 10, ["10.0.2", "9.0.9"]));

    [Fact]
    public void An_app_built_for_an_older_major_version_runs_on_the_runtimes_one()
        => Assert.Equal("10.0.1", SharedFrameworks.Choose(new Version(8, 0, 0), 10, ["8.0.20", "10.0.1"]));

    [Fact]
    public void Folders_that_are_not_versions_are_ignored()
        => Assert.Equal("10.0.1", SharedFrameworks.Choose(new Version(10, 0, 0), 10, ["10.0.1", "10.0.3-preview.1", "backup"]));

    [Fact]
    public void The_installed_asp_net_core_is_found_beside_the_running_runtime()
    {
        var folders = SharedFrameworks.Locate([new("Microsoft.NETCore.App", new Version(10, 0, 0)), new("Microsoft.AspNetCore.App", new Version(10, 0, 0))]);

        string folder = Assert.Single(folders);
        Assert.True(File.Exists(Path.Combine(folder, "Microsoft.AspNetCore.Server.Kestrel.Core.dll")), folder);
    }

    [Fact]
    public void A_framework_that_is_not_installed_is_named()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => SharedFrameworks.Locate([new("Microsoft.WindowsDesktop.App", new Version(10, 0, 0))]));
        Assert.Contains("Microsoft.WindowsDesktop.App 10.x", error.Message);
    }
}
