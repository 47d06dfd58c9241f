using ForkServer.Kernel.Tests.Options;
using ForkServer.Kernel.Vassal;

namespace ForkServer.Kernel.Tests.Vassal;

/// <summary>The process and environment options as they are read: <c>env</c>/<c>unenv</c> and the <c>procname</c> family.</summary>
public sealed class ProcessOptionsTests : IDisposable
{
    private readonly ConfigurationDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Env_splits_at_the_first_equals_sign_and_keeps_every_occurrence_in_order()
    {
        _dir.Write("app.ini", "[uwsgi]\nenv = PLACK_ENV=production\nenv = DSN=dbi:Pg:dbname=app;host=db\nenv = EMPTY=\nunenv = HOME\nenv = PLACK_ENV=staging\n");

        var (removed, set) = VassalEnvironment.Read(_dir.Load("--ini", "app.ini"));

        Assert.Equal(["HOME"], removed);
        Assert.Equal(
            [new("PLACK_ENV", "production"), new("DSN", "dbi:Pg:dbname=app;host=db"), new("EMPTY", ""), new("PLACK_ENV", "staging")],
            set);
    }

    [Theory]
    [InlineData("env = NOEQUALS", "app.ini:3: env needs NAME=value, got 'NOEQUALS'")]
    [InlineData("env = =value", "app.ini:3: env needs NAME=value, got '=value'")]
    [InlineData("unenv = A=B", "app.ini:3: unenv needs a variable name, got 'A=B'")]
    public void A_bad_env_value_names_its_line(string line, string error)
    {
        _dir.Write("app.ini", $"[uwsgi]\nprocesses = 1\n{line}\n");

        var e = Assert.Throws<StartupException>(() => VassalEnvironment.Read(_dir.Load("--ini", "app.ini")));

        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void Without_procname_options_processes_keep_their_command_line()
    {
        _dir.Write("app.ini", "[uwsgi]\nprocesses = 2\n");
        var options = _dir.Load("--ini", "app.ini");

        Assert.Null(ProcessNames.Master(options));
        Assert.Null(ProcessNames.Worker(options, 1));
    }

    [Theory]
    [InlineData("auto-procname = true", "forkserver master", "forkserver worker 2")]
    [InlineData("procname = shop", "shop", "shop")]
    [InlineData("procname = shop\nprocname-master = shop master", "shop master", "shop")]
    [InlineData("procname-master = boss", "boss", "forkserver worker 2")]
    [InlineData("procname-prefix = app-", "app-forkserver master", "app-forkserver worker 2")]
    [InlineData("procname-prefix-spaced = app\nprocname = shop\nprocname-append = !", "app shop!", "app shop!")]
    public void Procname_options_compose_prefix_name_and_suffix_as_uwsgi_does(string lines, string master, string worker)
    {
        _dir.Write("app.ini", $"[uwsgi]\n{lines}\n");
        var options = _dir.Load("--ini", "app.ini");

        Assert.Equal(master, ProcessNames.Master(options));
        Assert.Equal(worker, ProcessNames.Worker(options, 2));
    }
}
