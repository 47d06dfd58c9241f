namespace ForkServer.Kernel.Tests.Options;

public sealed class IniReadingTests : IDisposable
{
    private readonly ConfigurationDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Only_the_uwsgi_section_is_read_by_default()
    {
        _dir.Write("app.ini", """
            processes = 9
            [other]
            processes = 2
            [uwsgi]
            processes = 4
            [emperor]
            processes = 3
            """);

        var values = _dir.Load("--ini", "app.ini");

        Assert.Equal(["4"], values.GetValues("processes"));
    }

    [Fact]
    public void A_named_section_is_read_instead_of_uwsgi()
    {
        _dir.Write("app.ini", "[uwsgi]\nprocesses = 4\n[ prod ]\nprocesses = 16\n");

        var values = _dir.Load("--ini", "app.ini:prod");

        Assert.Equal(16, values.GetInteger("processes", 1));
        Assert.Equal(["app.ini:prod"], values.GetValues("ini"));
    }

    [Fact]
    public void Comments_and_blank_lines_are_skipped_and_values_are_trimmed()
    {
        _dir.Write("app.ini", "; leading comment\n[uwsgi]\n   # indented comment\n\n  uid   =   www data  \r\nchdir = /srv/a=b\n");

        var values = _dir.Load("--ini", "app.ini");

        Assert.Equal("www data", values.GetValue("uid"));
        Assert.Equal("/srv/a=b", values.GetValue("chdir"));
    }

    [Fact]
    public void Repeated_keys_accumulate_and_the_last_one_wins()
    {
        _dir.Write("app.ini", "[uwsgi]\nprocesses = 2\nemperor = /a\nprocesses = 8\nemperor = /b\n");

        var values = _dir.Load("--ini", "app.ini", "--processes", "3");

        Assert.Equal(["2", "8", "3"], values.GetValues("processes"));
        Assert.Equal("3", values.GetValue("processes"));
        Assert.Equal("command line", values.DescribeSource("processes"));
        Assert.Equal(["/a", "/b"], values.GetValues("emperor"));
        Assert.Equal("app.ini:5", values.DescribeSource("emperor"));
    }

    [Fact]
    public void Nested_includes_are_relative_to_the_including_file_and_read_in_place()
    {
        _dir.Write("conf/app.ini", "[uwsgi]\nprocesses = 1\nini = common/base.ini\nuid = app\n");
        _dir.Write("conf/common/base.ini", "[uwsgi]\nprocesses = 2\nuid = base\nini = ../last.ini:extra\n");
        _dir.Write("conf/last.ini", "[extra]\nlisten = 64\n");

        var values = _dir.Load("--ini", "conf/app.ini");

        Assert.Equal(["1", "2"], values.GetValues("processes"));
        Assert.Equal("app", values.GetValue("uid"));
        Assert.Equal(64, values.GetInteger("listen", 100));
        Assert.Equal("conf/last.ini:2", values.DescribeSource("listen"));
        Assert.Equal(["conf/app.ini", "conf/common/base.ini", "conf/last.ini:extra"], values.GetValues("ini"));
    }

    [Fact]
    public void An_absolute_include_is_kept_as_written()
    {
        var shared = System.IO.Path.Combine(_dir.Path, "shared.ini");
        _dir.Write("shared.ini", "[uwsgi]\nlisten = 10\n");
        _dir.Write("sub/app.ini", $"[uwsgi]\nini = {shared}\n");

        Assert.Equal(10, _dir.Load("--ini", "sub/app.ini").GetInteger("listen", 0));
    }

    [Fact]
    public void The_same_file_may_be_included_twice_when_it_is_not_a_cycle()
    {
        _dir.Write("common.ini", "[uwsgi]\nemperor = /vassals\n");
        _dir.Write("app.ini", "[uwsgi]\nini = common.ini\nini = common.ini\n");

        Assert.Equal(["/vassals", "/vassals"], _dir.Load("--ini", "app.ini").GetValues("emperor"));
    }

    [Fact]
    public void A_key_with_an_empty_value_is_an_empty_string()
    {
        _dir.Write("app.ini", "[uwsgi]\nuid =\nmaster =\n");

        var values = _dir.Load("--ini", "app.ini");

        Assert.Equal("", values.GetValue("uid"));
        Assert.True(values.GetFlag("master"));
    }
}
