using System.Text;
using CsCheck;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Tests.Options;

namespace ForkServer.Kernel.Tests.Fuzzing;

/// <summary>
/// Mutants of realistic ini files (bytes, so invalid UTF-8, NULs and cut lines too): each one binds, or fails with
/// a <see cref="ConfigurationException"/> whose every error names the file and a line in it, within a bound.
/// ConfigurationPropertyTests covers generated text; this covers damaged valid files, includes and cycles.
/// </summary>
public sealed class IniFuzzTests : IDisposable
{
    private static readonly string[] Valid =
    [
        "[uwsgi]\nhttp-socket = 127.0.0.1:8080\nprocesses = 4\nuid = www-data\ngid = www-data\n; comment\nlogto = %d/app.log\n",
        "[uwsgi]\nini = common.ini\nprocesses = %(workers)\n\n[other]\nprocesses = 2\n",
        "# header\n[uwsgi]\nmaster = true\nsocket-timeout = 4\nfork-server = @base-%n\nplugins = psgi, dotnet\n",
        "[uwsgi]\nini = app.ini\nchdir = $(HOME)\nhttp-socket = :0\nlisten = 100\nemperor = %d%%\n",
    ];

    private static readonly Gen<byte[]> Ini = Mutation.Of(Gen.Int[0, Valid.Length - 1].Select(i => Encoding.UTF8.GetBytes(Valid[i])));

    private readonly ConfigurationDirectory _dir = new();

    public IniFuzzTests()
    {
        _dir.Write("common.ini", "[uwsgi]\nworkers = 3\nini = app.ini\n");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Mutated_ini_files_bind_or_every_error_names_the_file_and_line()
    {
        var schema = ConfigurationDirectory.KernelSchema();
        string path = Path.Combine(_dir.Path, "app.ini");
        Bounded.Run(nameof(Mutated_ini_files_bind_or_every_error_names_the_file_and_line), () => Ini.Sample(
            bytes =>
            {
                File.WriteAllBytes(path, bytes);
                try
                {
                    OptionValues.Load(["--ini", "app.ini"], _dir.Path, schema);
                }
                catch (ConfigurationException exception)
                {
                    foreach (var error in exception.Errors)
                    {
                        Assert.False(string.IsNullOrWhiteSpace(error.Message));
                        Assert.True(error.Source.File is "app.ini" or "common.ini" || error.Source.File is null && error.Message.Contains("app.ini"),
                            $"error without its place: {error}");
                        Assert.True(error.Source.Line >= 1, $"error without its line: {error}");
                    }
                }
            },
            iter: 2500,
            threads: 1));
    }
}
