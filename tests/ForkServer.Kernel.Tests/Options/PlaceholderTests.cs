namespace ForkServer.Kernel.Tests.Options;

public sealed class PlaceholderTests : IDisposable
{
    private readonly ConfigurationDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string FullPath(string relative) => System.IO.Path.Combine(_dir.Path, relative);

    [Fact]
    public void Key_references_take_the_last_value_set_before_this_point()
    {
        _dir.Write("app.ini", "[uwsgi]\nuid = first\nuid = app\ngid = %(uid)-group\nchdir = /home/%(uid)\nuid = later\n");

        var values = _dir.Load("--ini", "app.ini");

        Assert.Equal("app-group", values.GetValue("gid"));
        Assert.Equal("/home/app", values.GetValue("chdir"));
    }

    [Fact]
    public void Key_references_cross_files_and_the_command_line_in_reading_order()
    {
        _dir.Write("app.ini", "[uwsgi]\nlogto = /var/log/%(uid).log\nprocesses = %(workers)\n");

        var values = _dir.Load("--uid", "web", "--workers=2", "--ini", "app.ini", "--gid", "%(logto)");

        Assert.Equal("/var/log/web.log", values.GetValue("logto"));
        Assert.Equal(["2", "2"], values.GetValues("processes"));
        Assert.Equal("/var/log/web.log", values.GetValue("gid"));
    }

    [Fact]
    public void Magic_variables_describe_the_ini_file()
    {
        _dir.Write("sites/blog.conf.ini", "[prod]\nuid = d=%d p=%p s=%s n=%n e=%e x=%x c=%c o=%o pct=%%d\n");

        var values = _dir.Load("--ini", "sites/blog.conf.ini:prod");

        var directory = FullPath("sites") + "/";
        Assert.Equal(
            $"d={directory} p={directory}blog.conf.ini s=blog.conf.ini n=blog.conf e=ini x=prod c=sites o=sites/blog.conf.ini:prod pct=%d",
            values.GetValue("uid"));
    }

    [Fact]
    public void Magic_variables_of_an_included_file_describe_that_file()
    {
        _dir.Write("app.ini", "[uwsgi]\nini = inner/lib.ini\nchdir = %d\n");
        _dir.Write("inner/lib.ini", "[uwsgi]\nlogto = %dlib.log\n");

        var values = _dir.Load("--ini", "app.ini");

        Assert.Equal(FullPath("inner/lib.log"), values.GetValue("logto"));
        Assert.Equal(_dir.Path + "/", values.GetValue("chdir"));
    }

    [Fact]
    public void On_the_command_line_directories_are_the_working_directory()
    {
        var values = _dir.Load("--chdir", "%dapp", "--uid=%c", "--gid", "100%%");

        Assert.Equal(FullPath("app"), values.GetValue("chdir"));
        Assert.Equal(System.IO.Path.GetFileName(_dir.Path), values.GetValue("uid"));
        Assert.Equal("100%", values.GetValue("gid"));
    }

    [Fact]
    public void Environment_variables_are_expanded_and_empty_when_unset()
    {
        var name = "FORKSERVER_OPTIONS_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "deploy");
        try
        {
            _dir.Write("app.ini", $"[uwsgi]\nuid = $({name})\ngid = [$({name}_UNSET)]\nchdir = cost$5\n");

            var values = _dir.Load("--ini", "app.ini", "--logto", $"/log/$({name}).log");

            Assert.Equal("deploy", values.GetValue("uid"));
            Assert.Equal("[]", values.GetValue("gid"));
            Assert.Equal("cost$5", values.GetValue("chdir"));
            Assert.Equal("/log/deploy.log", values.GetValue("logto"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Placeholders_pick_the_included_file_from_a_key_reference()
    {
        _dir.Write("env/prod.ini", "[uwsgi]\nprocesses = 32\n");
        _dir.Write("app.ini", "[uwsgi]\nuid = prod\nini = env/%(uid).ini\n");

        Assert.Equal(32, _dir.Load("--ini", "app.ini").GetInteger("processes", 1));
    }

    [Fact]
    public void A_substituted_value_is_not_expanded_again()
    {
        Assert.Equal("%d", _dir.Load("--uid", "%%d", "--gid", "%(uid)").GetValue("gid"));
    }
}
