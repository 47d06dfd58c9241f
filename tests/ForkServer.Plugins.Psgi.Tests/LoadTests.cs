using ForkServer.Abstractions;
using ForkServer.Plugins.Psgi.Tests.Fakes;

namespace ForkServer.Plugins.Psgi.Tests;

[Collection(PerlCollection.Name)]
public sealed class LoadTests(PerlFixture perl)
{
    [Theory]
    [InlineData("missing.psgi", "No such file or directory")]
    [InlineData("syntax_error.psgi", "syntax error")]
    [InlineData("dies_at_load.psgi", "refusing to load")]
    [InlineData("not_code.psgi", "did not return a CODE reference")]
    public void A_broken_app_fails_to_load_naming_the_file(string app, string perlError)
    {
        var error = Assert.Throws<ApplicationLoadException>(() => perl.Load(app));

        Assert.Contains(Path.Combine(PerlFixture.AppsDirectory, app), error.Message);
        Assert.Contains(perlError, error.Message);
        Assert.Equal(200, perl.Serve(FakeRequest.For("hello")).Status);
    }

    [Fact]
    public void The_plugin_declares_its_options()
    {
        var plugin = new PsgiPlugin();

        Assert.Equal("psgi", plugin.Name);
        Assert.Contains(plugin.Options, o => o is { Name: "psgi", Type: OptionType.Path });
        Assert.Contains(plugin.Options, o => o is { Name: "early-psgi", Type: OptionType.Path });
        Assert.Contains(plugin.Options, o => o is { Name: "perl-arg", Type: OptionType.Text, Repeatable: true });
    }

    [Fact]
    public void Each_phase_loads_only_its_own_option()
    {
        string app = Path.Combine(PerlFixture.AppsDirectory, "features.psgi");
        IEarlyLoader loader = new PsgiPlugin().Loader;

        Assert.Null(loader.Load(new LoadContext(LoadPhase.Early, PerlFixture.Options(("psgi", app)), perl.Logging)));
        Assert.Null(loader.Load(new LoadContext(LoadPhase.Master, PerlFixture.Options(("early-psgi", app)), perl.Logging)));
        Assert.Null(loader.Load(new LoadContext(LoadPhase.Master, PerlFixture.Options(("early-psgi", app), ("psgi", app)), perl.Logging)));
        Assert.NotNull(loader.Load(new LoadContext(LoadPhase.Early, PerlFixture.Options(("early-psgi", app), ("psgi", app)), perl.Logging)));
        Assert.Null(loader.Load(new LoadContext(LoadPhase.Master, PerlFixture.Options(), perl.Logging)));
    }

    [Fact]
    public void Other_perl_arguments_cannot_restart_the_interpreter()
    {
        var options = new FakeOptions(("perl-arg", "-I/elsewhere"), ("psgi", Path.Combine(PerlFixture.AppsDirectory, "features.psgi")));

        var error = Assert.Throws<ApplicationLoadException>(
            () => new PsgiPlugin().Loader.Load(new LoadContext(LoadPhase.Master, options, perl.Logging)));

        Assert.Contains("-I/elsewhere", error.Message);
    }

    [Fact]
    public void Assigning_dollar_zero_while_loading_does_not_rename_the_thread()
    {
        string before = File.ReadAllText("/proc/thread-self/comm");

        IPreloadedApplication app = perl.Load("renames_process.psgi")!;

        Assert.Equal(before, File.ReadAllText("/proc/thread-self/comm"));
        Assert.Contains("renames_process.psgi", app.Description);
    }
}
