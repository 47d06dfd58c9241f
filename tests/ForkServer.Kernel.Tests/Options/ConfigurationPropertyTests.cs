using CsCheck;
using ForkServer.Kernel.Options;

namespace ForkServer.Kernel.Tests.Options;

public sealed class ConfigurationPropertyTests : IDisposable
{
    private readonly ConfigurationDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Lines built from the syntax the reader cares about, mixed with arbitrary text, so most samples get past
    // the section header and exercise placeholders, includes and type checks rather than only malformed lines.
    private static readonly Gen<string> Line = Gen.Frequency(
        (3, Gen.String[" \t=[]%()$;#:,/.\0aeiknpsuw019-"]),
        (1, Gen.String),
        (2, Gen.OneOf(Gen.Const("[uwsgi]"), Gen.Const("[other]"), Gen.Const("; comment"), Gen.Const("ini = app.ini"))),
        (4, Gen.Select(
            Gen.OneOf(Gen.Const("processes"), Gen.Const("master"), Gen.Const("plugins"), Gen.Const("ini"), Gen.Const("chdir"), Gen.String[1, 4]),
            Gen.String["%()$dpnexc%0123a-/.:"],
            (key, value) => $"{key} = {value}")));

    [Fact]
    public void Any_ini_text_binds_or_fails_with_a_configuration_exception()
    {
        Line.Array[0, 12].Select(lines => string.Join('\n', lines)).Sample(
            text =>
            {
                _dir.Write("app.ini", text);
                try
                {
                    OptionValues.Load(["--ini", "app.ini"], _dir.Path, ConfigurationDirectory.KernelSchema());
                }
                catch (ConfigurationException exception)
                {
                    Assert.NotEmpty(exception.Errors);
                }
            },
            iter: 2000,
            threads: 1);
    }

    private static readonly Gen<string> Argument = Gen.Frequency(
        (2, Gen.OneOf(Gen.Const("--master"), Gen.Const("--processes"), Gen.Const("--ini"), Gen.Const("--plugins"), Gen.Const("app.ini"))),
        (3, Gen.String["-=%()$:,dnpaeinrs0123"]),
        (1, Gen.String));

    [Fact]
    public void Any_command_line_binds_or_fails_with_a_configuration_exception()
    {
        _dir.Write("app.ini", "[uwsgi]\nprocesses = 2\n[x]\nmaster = on\n");
        Argument.Array[0, 8].Sample(
            args =>
            {
                try
                {
                    OptionValues.Load(args, _dir.Path, ConfigurationDirectory.KernelSchema());
                }
                catch (ConfigurationException exception)
                {
                    Assert.NotEmpty(exception.Errors);
                }
            },
            iter: 2000,
            threads: 1);
    }
}
