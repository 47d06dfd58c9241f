using ForkServer.Abstractions;
using ForkServer.Kernel.Options;

namespace ForkServer.Kernel.Tests.Options;

public sealed class CommandLineTests : IDisposable
{
    private readonly ConfigurationDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Key_value_key_equals_value_and_bare_flag_forms_are_read()
    {
        var values = _dir.Load("--processes", "4", "--uid=www", "--master", "--chdir=/srv/x=y", "--gid=");

        Assert.Equal(4, values.GetInteger("processes", 1));
        Assert.Equal("www", values.GetValue("uid"));
        Assert.True(values.GetFlag("master"));
        Assert.Equal("/srv/x=y", values.GetValue("chdir"));
        Assert.Equal("", values.GetValue("gid"));
    }

    [Fact]
    public void A_flag_never_takes_the_next_argument()
    {
        var session = ConfigurationReader.ReadSession(["--master", "no"], _dir.Path, ConfigurationDirectory.KernelSchema());

        Assert.Equal([new RawOption("master", null, OptionSource.CommandLine(1))], session.Options);
        var (position, error) = Assert.Single(session.Errors);
        Assert.Equal(1, position);
        Assert.Equal("command line: unexpected argument 'no' (options are written --key value or --key=value)", error.ToString());
    }

    [Fact]
    public void A_declared_option_takes_a_next_argument_that_looks_like_a_negative_number()
    {
        Assert.Equal(-1, _dir.Load("--listen", "-1").GetInteger("listen", 100));
    }

    [Fact]
    public void An_unknown_option_takes_the_next_argument_unless_it_looks_like_an_option()
    {
        var raw = ConfigurationReader.Read(
            ["--early-psgi", "app.psgi", "--lazy", "--processes", "2", "--thunder"], _dir.Path, ConfigurationDirectory.KernelSchema());

        Assert.Equal(
            [("early-psgi", "app.psgi"), ("lazy", null), ("processes", "2"), ("thunder", null)],
            raw.Select(o => (o.Key, o.Value)).ToArray());
    }

    [Fact]
    public void Plugin_options_read_with_their_declarations_bind_once_the_plugin_schema_is_known()
    {
        var schema = ConfigurationDirectory.KernelSchema();
        schema.Add([new OptionDeclaration("early-psgi", OptionType.Path, "Load a PSGI app early")], "psgi");

        var values = OptionValues.Load(["--plugins", "psgi", "--early-psgi", "app.psgi"], _dir.Path, schema);

        Assert.Equal("app.psgi", values.GetValue("early-psgi"));
    }

    [Fact]
    public void Ini_files_on_the_command_line_are_read_where_they_appear()
    {
        _dir.Write("app.ini", "[uwsgi]\nprocesses = 2\n");

        var values = _dir.Load("--processes", "1", "--ini", "app.ini", "--ini=app.ini");

        Assert.Equal(["1", "2", "2"], values.GetValues("processes"));
        Assert.Equal(["app.ini", "app.ini"], values.GetValues("ini"));
    }

    [Fact]
    public void Sources_are_the_ini_line_or_the_command_line()
    {
        Assert.Equal("app.ini:12", new OptionSource("app.ini", 12).ToString());
        Assert.Equal("command line", OptionSource.CommandLine(3).ToString());
    }
}
