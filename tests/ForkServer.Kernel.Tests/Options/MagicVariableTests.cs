using System.Diagnostics;
using System.Globalization;
using ForkServer.Kernel.Options;

namespace ForkServer.Kernel.Tests.Options;

/// <summary>
/// Every magic variable uWSGI documents, read in an included file (lower case: that file; upper case: the first
/// ini file read). In expected values, {root} is the configuration directory.
/// </summary>
public sealed class MagicVariableTests : IDisposable
{
    private readonly ConfigurationDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("%d", "{root}/sites/blog/")]
    [InlineData("%p", "{root}/sites/blog/app.conf.ini")]
    [InlineData("%s", "app.conf.ini")]
    [InlineData("%n", "app.conf")]
    [InlineData("%e", "ini")]
    [InlineData("%c", "blog")]
    [InlineData("%x", "prod")]
    [InlineData("%o", "sites/blog/app.conf.ini:prod")]
    [InlineData("%D", "{root}/")]
    [InlineData("%P", "{root}/main.ini")]
    [InlineData("%S", "main.ini")]
    [InlineData("%N", "main")]
    [InlineData("%E", "ini")]
    [InlineData("%C", "{rootname}")]
    [InlineData("%X", "")]
    [InlineData("%O", "main.ini")]
    [InlineData("%0", "{component0}")]
    [InlineData("%9", "")]
    [InlineData("%v", "{root}")]
    [InlineData("%[", "\u001b")]
    [InlineData("%%d", "%d")]
    [InlineData("%dapp.psgi", "{root}/sites/blog/app.psgi")]
    public void A_magic_variable_in_an_included_file(string written, string expected)
    {
        Assert.Equal(Expand(expected), ReadInIncludedFile(written));
    }

    [Fact]
    public void The_process_variables_describe_this_process()
    {
        Assert.Equal(Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), ReadInIncludedFile("%k"));
        Assert.Equal(Run("id", "-u"), ReadInIncludedFile("%u"));
        Assert.Equal(Run("id", "-un"), ReadInIncludedFile("%U"));
        Assert.Equal(Run("id", "-g"), ReadInIncludedFile("%g"));
        Assert.Equal(Run("id", "-gn"), ReadInIncludedFile("%G"));
        Assert.Equal(System.Net.Dns.GetHostName(), ReadInIncludedFile("%h"));
        Assert.Equal(typeof(MagicVariables).Assembly.GetName().Version!.ToString(3), ReadInIncludedFile("%V"));
        Assert.Equal(Run("stat", "-c", "%i", Path.Combine(_dir.Path, "sites/blog/app.conf.ini")), ReadInIncludedFile("%i"));
    }

    [Fact]
    public void The_start_time_is_read_once_in_seconds_and_microseconds()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var both = ReadInIncludedFile("%t %T %t").Split(' ').Select(long.Parse).ToArray();
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.InRange(both[0], before, after);
        Assert.Equal(both[0], both[2]);
        Assert.Equal(both[0], both[1] / 1_000_000);
    }

    [Theory]
    [InlineData("/etc/uwsgi/vassals/é.ini", "8BB3EA11")]
    public void The_path_hash_is_uwsgis_djb33x(string path, string expected)
    {
        // Computed as uWSGI does (signed chars, the 32-bit hash's bytes in memory order) outside this code.
        Assert.Equal(expected, IniFileFacts.Of(path, path, null).Hash);
    }

    [Theory]
    [InlineData("--uid=%d", "{root}/")]
    [InlineData("--uid=%c", "{rootname}")]
    [InlineData("--uid=%k", "{cores}")]
    public void On_the_command_line_the_directory_is_the_working_one(string argument, string expected)
    {
        Assert.Equal(Expand(expected), _dir.Load(argument).GetValue("uid"));
    }

    [Theory]
    [InlineData("--uid=%p", "command line: key 'uid': '%p' names the ini file and means nothing on the command line")]
    [InlineData("--uid=%D", "command line: key 'uid': '%D' names the first ini file read, and none has been read before this point")]
    [InlineData("--uid=%z", "command line: key 'uid': unknown placeholder '%z' (write '%%' for a percent sign)")]
    public void Variables_without_a_meaning_there_are_errors(string argument, string error)
    {
        Assert.Equal([error], _dir.Errors(argument));
    }

    [Fact]
    public void Upper_case_variables_on_the_command_line_name_the_first_file_once_read()
    {
        _dir.Write("main.ini", "[uwsgi]\nprocesses = 2\n");

        Assert.Equal("main", _dir.Load("--ini", "main.ini", "--uid", "%N").GetValue("uid"));
    }

    private string ReadInIncludedFile(string written)
    {
        _dir.Write("main.ini", "[uwsgi]\nini = sites/blog/app.conf.ini:prod\n");
        _dir.Write("sites/blog/app.conf.ini", $"[prod]\nuid = {written}\n");
        return _dir.Load("--ini", "main.ini").GetValue("uid")!;
    }

    private string Expand(string expected) => expected
        .Replace("{rootname}", Path.GetFileName(_dir.Path))
        .Replace("{root}", _dir.Path)
        .Replace("{component0}", _dir.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0])
        .Replace("{cores}", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));

    private static string Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        Assert.True(process.WaitForExit(10_000), $"{program} did not exit");
        return output;
    }
}
