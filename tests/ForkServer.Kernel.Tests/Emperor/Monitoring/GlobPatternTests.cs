using ForkServer.Kernel.Emperor.Monitoring;

namespace ForkServer.Kernel.Tests.Emperor.Monitoring;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("*.ini", "one.ini", true)]
    [InlineData("*.ini", ".ini", true)]
    [InlineData("*.ini", "one.ini.bak", false)]
    [InlineData("a*b*c.ini", "aXbYbZc.ini", true)]
    [InlineData("a*b*c.ini", "aXbYc.inix", false)]
    [InlineData("v?.ini", "v1.ini", true)]
    [InlineData("v?.ini", "v12.ini", false)]
    [InlineData("[ab]*.ini", "b.ini", true)]
    [InlineData("[ab]*.ini", "c.ini", false)]
    [InlineData("[a-c][0-9].ini", "b7.ini", true)]
    [InlineData("[a-c][0-9].ini", "d7.ini", false)]
    [InlineData("[!a]*.ini", "a.ini", false)]
    [InlineData("[^a]*.ini", "b.ini", true)]
    [InlineData("[]x].ini", "].ini", true)]
    [InlineData("[a-].ini", "-.ini", true)]
    [InlineData("[ab.ini", "[ab.ini", true)]
    [InlineData("**", "", true)]
    [InlineData("exact.ini", "exact.ini", true)]
    [InlineData("exact.ini", "exact.in", false)]
    public void Matches_like_a_shell_glob(string pattern, string name, bool matches)
        => Assert.Equal(matches, new GlobPattern(pattern).Matches(name));

    [Theory]
    [InlineData("*.ini", true)]
    [InlineData("v?.ini", true)]
    [InlineData("[ab].ini", true)]
    [InlineData("/etc/vassals", false)]
    public void Tells_a_glob_from_a_literal(string text, bool isGlob)
        => Assert.Equal(isGlob, GlobPattern.IsGlob(text));
}
