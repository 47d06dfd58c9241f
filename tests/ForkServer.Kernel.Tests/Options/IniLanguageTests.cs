namespace ForkServer.Kernel.Tests.Options;

/// <summary>
/// The ini language as uWSGI reads it: custom keys as placeholders, set-placeholder, same-file and @(file)
/// includes, bare flag lines, logic blocks. Each row is an app.ini (its [uwsgi] section unless it has sections),
/// the option looked at, and its values in order.
/// </summary>
public sealed class IniLanguageTests : IDisposable
{
    private const string EnvName = "FORKSERVER_INI_LANGUAGE_TEST";
    private readonly ConfigurationDirectory _dir = new();

    public IniLanguageTests()
    {
        _dir.Write("secret.txt", "s3cret\n");
        _dir.Write("lines.txt", "a\nb\r\n");
        _dir.Write("conf.d/keep", "");
        _dir.Write("other.ini", "[uwsgi]\nuid = other\n[extra]\nuid = extra\n");
        Environment.SetEnvironmentVariable(EnvName, "prod");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(EnvName, null);
        _dir.Dispose();
    }

    [Theory]
    // A key only referred to as %(key) is a placeholder, wherever the reference is.
    [InlineData("project = /srv/app\nchdir = %(project)/current", "chdir", "/srv/app/current")]
    [InlineData("base = /srv\nproject = %(base)/app\nchdir = %(project)", "chdir", "/srv/app")]
    [InlineData("set-placeholder = who=web\nuid = %(who)", "uid", "web")]
    [InlineData("set-ph = who = web \nuid = %(who)", "uid", "web")]
    [InlineData("set = processes=3\nset = who=x\nuid = %(who)", "processes", "3")]
    // Bare lines are flags set to true.
    [InlineData("master\nmaster = false\nmaster", "master", "true|false|true")]
    // Includes of a section of the same file, of another file's section, and a value read from a file.
    [InlineData("[uwsgi]\nuid = a\nini = :more\nuid = c\n[more]\nuid = b", "uid", "a|b|c")]
    [InlineData("ini = other.ini:extra\nini = other.ini", "uid", "extra|other")]
    [InlineData("uid = @(secret.txt)", "uid", "s3cret")]
    [InlineData("uid = [@(lines.txt)]", "uid", "[a\nb]")]
    [InlineData("uid = @(%dsecret.txt)", "uid", "s3cret")]
    // Conditions: env (set, =value), files, directories, options, hostname; else; %(_).
    [InlineData("if-env = " + EnvName + "\nuid = env-%(_)\nendif\nuid = after", "uid", "env-prod|after")]
    [InlineData("if-env = " + EnvName + "=dev\nuid = dev\nelse\nuid = not-dev\nendif", "uid", "not-dev")]
    [InlineData("if-not-env = " + EnvName + "_UNSET\nuid = unset\nendif\nif-not-env = " + EnvName + "\nuid = wrong\nendif", "uid", "unset")]
    [InlineData("if-exists = secret.txt\nuid = %(_)\nendif\nif-not-exists = nothing\nuid = none\nend-if", "uid", "secret.txt|none")]
    [InlineData("if-file = conf.d\nuid = wrong\nendif\nif-not-file = conf.d\nuid = not-a-file\nendif", "uid", "not-a-file")]
    [InlineData("if-dir = conf.d\nuid = dir\nendif\nif-not-dir = conf.d\nuid = wrong\nendif", "uid", "dir")]
    [InlineData("gid = www\nif-opt = gid=www\nuid = %(_)\nendif\nif-not-opt = chdir\nuid = no-chdir\nendif", "uid", "www|no-chdir")]
    [InlineData("tier = gold\nif-opt = tier\nuid = %(_)\nendif", "uid", "gold")]
    // Loops: %(_) is each item.
    [InlineData("for = a b  c\nuid = u-%(_)\nendfor\nuid = after", "uid", "u-a|u-b|u-c|after")]
    [InlineData("for-times = 3\nuid = %(_)\nend-for", "uid", "1|2|3")]
    [InlineData("for-readline = lines.txt\nuid = %(_)\nendfor", "uid", "a|b")]
    [InlineData("for = x y\nini = other.ini\nendfor", "uid", "other|other")]
    // A block the file leaves open ends with it.
    [InlineData("ini = :open\nuid = outside\n[open]\nif-env = " + EnvName + "_UNSET\nuid = skipped", "uid", "outside")]
    public void Reads_as_uwsgi_does(string ini, string key, string expected)
    {
        _dir.Write("app.ini", ini.Contains("[uwsgi]") ? ini : "[uwsgi]\n" + ini);

        var values = _dir.Load("--ini", "app.ini");

        Assert.Equal(expected.Split('|'), values.GetValues(key));
    }

    [Theory]
    [InlineData("xyzzyq = /srv\nchdir = /x", "app.ini:2: key 'xyzzyq': unknown option")]
    [InlineData("chdir = %(project)\nproject = /srv", "app.ini:2: key 'chdir': '%(project)' refers to no option set before this point")]
    [InlineData("set-ph = processes=4", "app.ini:2: key 'set-ph': 'processes' is an option, not a placeholder (set it with 'processes = 4')")]
    [InlineData("set-placeholder = novalue", "app.ini:2: key 'set-placeholder': expected 'name=value', got 'novalue'")]
    [InlineData("uid = @(missing.txt)", "app.ini:2: key 'uid': '@(missing.txt)' cannot be read: no such file")]
    [InlineData("ini = :nowhere", "app.ini:2: key 'ini': ini file 'app.ini' has no [nowhere] section")]
    [InlineData("ini = :uwsgi", "app.ini:2: key 'ini': ini file 'app.ini' includes itself (app.ini -> app.ini)")]
    [InlineData("chdir\n", "app.ini:2: key 'chdir': missing value")]
    [InlineData("for = a b\nif-env = HOME\nendif", "app.ini:3: key 'if-env': 'if-env' inside the 'for' block opened at app.ini:2: blocks do not nest (close it with 'endif' or 'endfor' first)")]
    [InlineData("if-env\nendif", "app.ini:2: key 'if-env': missing value (what the block tests or goes over)")]
    [InlineData("for-times = many\nendfor", "app.ini:2: key 'for-times': expected a whole number of times up to 10000, got 'many'")]
    [InlineData("for-readline = missing.txt\nendfor", "app.ini:2: key 'for-readline': 'missing.txt' cannot be read: no such file")]
    [InlineData("for = a\nuid = %(nope)\nendfor", "app.ini:3: key 'uid': '%(nope)' refers to no option set before this point")]
    public void Errors_name_the_file_and_line(string ini, string error)
    {
        _dir.Write("app.ini", "[uwsgi]\n" + ini);

        Assert.Equal([error], _dir.Errors("--ini", "app.ini"));
    }

    [Fact]
    public void A_same_file_section_on_the_command_line_is_an_error()
    {
        Assert.Equal(
            ["command line: key 'ini': ':prod' names a section of the file it is written in, and the command line is no file"],
            _dir.Errors("--ini", ":prod"));
    }

    [Fact]
    public void Blocks_and_placeholders_work_on_the_command_line()
    {
        var values = _dir.Load("--set-ph", "who=cli", "--for", "1 2", "--uid", "%(who)-%(_)", "--endfor");

        Assert.Equal(["cli-1", "cli-2"], values.GetValues("uid"));
    }
}
