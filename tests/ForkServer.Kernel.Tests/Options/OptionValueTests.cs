namespace ForkServer.Kernel.Tests.Options;

public sealed class OptionValueTests : IDisposable
{
    private readonly ConfigurationDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("ON", true)]
    [InlineData("1", true)]
    [InlineData("", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("Off", false)]
    [InlineData("0", false)]
    public void Booleans_accept_the_uwsgi_spellings(string text, bool expected)
    {
        _dir.Write("app.ini", $"[uwsgi]\nmaster = {text}\n");

        var values = _dir.Load("--ini", "app.ini");

        Assert.Equal(expected, values.GetFlag("master", !expected));
        Assert.Equal(expected ? "true" : "false", values.GetValue("master"));
    }

    [Fact]
    public void Absent_options_give_the_default()
    {
        var values = _dir.Load();

        Assert.False(values.Contains("processes"));
        Assert.Null(values.GetValue("processes"));
        Assert.Empty(values.GetValues("emperor"));
        Assert.Equal(30, values.GetInteger("reload-mercy", 30));
        Assert.True(values.GetFlag("master", true));
        Assert.Equal("default", values.DescribeSource("processes"));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-5", -5L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Integers_are_decimal_longs(string text, long expected)
    {
        Assert.Equal(expected, _dir.Load($"--buffer-size={text}").GetInteger("buffer-size", 4096));
    }

    [Fact]
    public void Plugins_are_split_on_commas_trimmed_and_empties_dropped()
    {
        _dir.Write("app.ini", "[uwsgi]\nplugins = psgi, dotnet,,\nplugin = ping\n");

        var values = _dir.Load("--ini", "app.ini", "--plugins", "a,b");

        Assert.Equal(["psgi", "dotnet", "ping", "a", "b"], values.GetValues("plugins"));
        Assert.Equal("b", values.GetValue("plugin"));
    }

    [Fact]
    public void Other_options_are_not_split_on_commas()
    {
        Assert.Equal(["/a,/b"], _dir.Load("--emperor", "/a,/b").GetValues("emperor"));
    }

    [Fact]
    public void Aliases_set_and_read_the_canonical_option()
    {
        var values = _dir.Load("--workers", "3", "--plugin-dir", "/usr/lib/fs");

        Assert.Equal(3, values.GetInteger("processes", 1));
        Assert.Equal(3, values.GetInteger("workers", 1));
        Assert.Equal("/usr/lib/fs", values.GetValue("plugins-dir"));
    }

    [Fact]
    public void Paths_are_kept_as_written()
    {
        Assert.Equal("logs/app.log", _dir.Load("--logto", "logs/app.log").GetValue("logto"));
    }

    [Fact]
    public void Asking_for_an_undeclared_option_is_a_programming_error()
    {
        var values = _dir.Load();

        Assert.Throws<ArgumentException>(() => values.GetValue("proceses"));
    }
}
