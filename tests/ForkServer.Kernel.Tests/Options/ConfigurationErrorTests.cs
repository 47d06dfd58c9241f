using ForkServer.Kernel.Options;
using Snapshooter.Xunit;

namespace ForkServer.Kernel.Tests.Options;

public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly ConfigurationDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Unknown_option_names_file_line_and_suggests_a_close_name()
    {
        _dir.Write("one.ini", "[uwsgi]\nmaster = true\nproceses = 4\nfrobnicate = 1\n");

        Assert.Equal(
            [
                "one.ini:3: key 'proceses': unknown option (did you mean 'processes'?)",
                "one.ini:4: key 'frobnicate': unknown option",
            ],
            _dir.Errors("--ini", "one.ini"));
    }

    [Fact]
    public void Unknown_option_on_the_command_line_may_suggest_an_alias()
    {
        Assert.Equal(["command line: key 'worker': unknown option (did you mean 'workers'?)"], _dir.Errors("--worker", "2"));
    }

    [Fact]
    public void Bad_integer_and_bad_boolean_name_the_value()
    {
        _dir.Write("app.ini", "[uwsgi]\nprocesses = four\nmaster = maybe\nlisten = 1.5\n");

        Assert.Equal(
            [
                "app.ini:2: key 'processes': expected a whole number, got 'four'",
                "app.ini:3: key 'master': expected a boolean (true/false, yes/no, on/off, 1/0), got 'maybe'",
                "app.ini:4: key 'listen': expected a whole number, got '1.5'",
            ],
            _dir.Errors("--ini", "app.ini"));
    }

    [Fact]
    public void Missing_values_and_empty_paths_are_errors()
    {
        Assert.Equal(
            ["command line: key 'chdir': expected a path, got nothing", "command line: key 'uid': missing value"],
            _dir.Errors("--chdir=", "--uid"));
    }

    [Fact]
    public void Malformed_lines_are_errors_in_any_section()
    {
        // "master" alone is a bare flag, as in uWSGI; a bare line with blanks inside is no key.
        _dir.Write("app.ini", "[other]\njust words\n[uwsgi\n= value\n[uwsgi]\nmaster\n");

        Assert.Equal(
            [
                "app.ini:2: expected 'key = value', got 'just words'",
                "app.ini:3: expected 'key = value', got '[uwsgi'",
                "app.ini:4: expected 'key = value', got '= value'",
            ],
            _dir.Errors("--ini", "app.ini"));
    }

    [Fact]
    public void Missing_ini_names_the_file_and_where_it_was_referenced()
    {
        _dir.Write("app.ini", "[uwsgi]\n\nini = conf/missing.ini\n");

        Assert.Equal(
            [
                "command line: key 'ini': cannot read ini file 'nope.ini': no such file",
                "app.ini:3: key 'ini': cannot read ini file 'conf/missing.ini': no such file",
                "command line: key 'ini': cannot read ini file 'conf': it is a directory",
            ],
            _dir.Write("conf/x.ini", "").Errors("--ini", "nope.ini", "--ini", "app.ini", "--ini", "conf"));
    }

    [Fact]
    public void Missing_section_names_the_file()
    {
        _dir.Write("app.ini", "[uwsgi]\nprocesses = 2\n");
        _dir.Write("empty.ini", "processes = 2\n");

        Assert.Equal(
            [
                "command line: key 'ini': ini file 'app.ini' has no [prod] section",
                "command line: key 'ini': ini file 'empty.ini' has no [uwsgi] section",
            ],
            _dir.Errors("--ini", "app.ini:prod", "--ini", "empty.ini"));
    }

    [Fact]
    public void Bad_placeholders_name_the_reference()
    {
        _dir.Write("app.ini", "[uwsgi]\nchdir = /srv/%(home)\nuid = 50%\ngid = %q\nlogto = $(HOME\n");

        Assert.Equal(
            [
                "app.ini:2: key 'chdir': '%(home)' refers to no option set before this point",
                "app.ini:3: key 'uid': lone '%' at the end of the value (write '%%' for a percent sign)",
                "app.ini:4: key 'gid': unknown placeholder '%q' (write '%%' for a percent sign)",
                "app.ini:5: key 'logto': '$(' is not closed by ')'",
                "command line: key 'uid': '%n' names the ini file and means nothing on the command line",
            ],
            _dir.Errors("--ini", "app.ini", "--uid", "%n"));
    }

    [Fact]
    public void Include_cycle_is_reported_where_it_closes()
    {
        _dir.Write("a.ini", "[uwsgi]\nini = b.ini\n");
        _dir.Write("b.ini", "[uwsgi]\nprocesses = 2\nini = a.ini\n");

        Assert.Equal(
            ["b.ini:3: key 'ini': ini file 'a.ini' includes itself (a.ini -> b.ini -> a.ini)"],
            _dir.Errors("--ini", "a.ini"));
    }

    [Fact]
    public void Includes_nest_at_most_sixteen_deep()
    {
        for (int i = 0; i < 17; i++)
        {
            _dir.Write($"{i}.ini", $"[uwsgi]\nini = {i + 1}.ini\n");
        }

        _dir.Write("17.ini", "[uwsgi]\nprocesses = 1\n");

        Assert.Equal(
            ["15.ini:2: key 'ini': ini file '16.ini' is nested more than 16 includes deep"],
            _dir.Errors("--ini", "0.ini"));
    }

    [Fact]
    public void Stray_arguments_are_errors()
    {
        Assert.Equal(
            [
                "command line: unexpected argument 'app.ini' (options are written --key value or --key=value)",
                "command line: unexpected argument '-p' (options are written --key value or --key=value)",
                "command line: unexpected argument '--=4' (no option name before '=')",
            ],
            _dir.Errors("app.ini", "-p", "--=4"));
    }

    [Fact]
    public void All_errors_are_reported_together_one_per_line()
    {
        _dir.Write("one.ini", """
            [uwsgi]
            ini = two.ini
            proceses = 4
            master = perhaps
            this line is broken
            chdir = %(nowhere)/app
            """);
        _dir.Write("two.ini", "[uwsgi]\nlisten = lots\n");

        var exception = Assert.Throws<ConfigurationException>(
            () => _dir.Load("--ini", "one.ini", "--ini", "three.ini", "--workerz", "2", "--socket-timeout", "4s"));

        Assert.Equal(string.Join(Environment.NewLine, exception.Errors), exception.Message);
        Snapshot.Match(exception.Errors.Select(e => e.ToString()).ToArray());
    }
}
