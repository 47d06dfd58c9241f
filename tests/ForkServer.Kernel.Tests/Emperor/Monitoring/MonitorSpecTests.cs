using ForkServer.Kernel.Emperor.Monitoring;

namespace ForkServer.Kernel.Tests.Emperor.Monitoring;

public sealed class MonitorSpecTests
{
    [Theory]
    [InlineData("/etc/vassals", "/etc/vassals")]
    [InlineData("/etc/vassals/", "/etc/vassals")]
    [InlineData("dir:///etc/vassals", "/etc/vassals")]
    public void A_directory_spec_names_files_by_their_bare_name(string spec, string directory)
    {
        var parsed = MonitorSpec.Parse(spec);

        Assert.Equal(directory, parsed.Directory);
        Assert.Null(parsed.Pattern);
        Assert.Equal("one.ini", parsed.InstanceName("one.ini"));
        Assert.Equal("/etc/vassals/one.ini", parsed.PathOf("one.ini"));
    }

    [Theory]
    [InlineData("glob:///etc/vassals/*.ini")]
    [InlineData("/etc/vassals/*.ini")]
    public void A_glob_spec_names_files_by_their_absolute_path(string spec)
    {
        var parsed = MonitorSpec.Parse(spec);

        Assert.Equal("/etc/vassals", parsed.Directory);
        Assert.Equal("*.ini", parsed.Pattern?.ToString());
        Assert.Equal("/etc/vassals/one.ini", parsed.InstanceName("one.ini"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("glob://")]
    [InlineData("glob:///etc/*/x.ini")]
    [InlineData("/etc/v?ssals/x.ini")]
    public void Empty_specs_and_wildcard_directories_are_refused(string spec)
        => Assert.Throws<ArgumentException>(() => MonitorSpec.Parse(spec));

    [Theory]
    [InlineData("one.ini", true)]
    [InlineData("one.INI", false)]
    [InlineData("one.ini.bak", false)]
    [InlineData(".one.ini", false)]
    [InlineData(".one.ini.swp", false)]
    [InlineData("one.xml", false)]
    public void Only_visible_ini_files_are_vassal_files(string name, bool admitted)
        => Assert.Equal(admitted, MonitorSpec.Parse("/etc/vassals").Admits(name));

    [Fact]
    public void Instance_names_must_stay_under_255_bytes()
    {
        var directory = MonitorSpec.Parse("/v");
        var glob = MonitorSpec.Parse("/v/*.ini");

        Assert.True(directory.Admits(new string('x', 250) + ".ini"));
        Assert.False(directory.Admits(new string('x', 251) + ".ini"));
        Assert.False(glob.Admits(new string('x', 248) + ".ini"));
        Assert.True(glob.Admits(new string('x', 247) + ".ini"));
    }
}
