using ForkServer.Abstractions;
using ForkServer.Plugins.DotnetPreload.Internal;

namespace ForkServer.Plugins.DotnetPreload.Tests;

public sealed class ApplicationFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forkserver-dotnet-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_missing_file_is_named_with_the_option_that_set_it()
    {
        var error = Assert.Throws<ApplicationLoadException>(() => ApplicationFiles.Inspect(Path.Combine(_dir, "App.dll"), "option early-dotnet, base.ini:3"));
        Assert.Equal($"cannot preload .NET application {_dir}/App.dll (option early-dotnet, base.ini:3): no such file", error.Message);
    }

    [Fact]
    public void A_project_file_is_not_an_application()
    {
        string project = Write("App.csproj", "<Project />");
        var error = Assert.Throws<ApplicationLoadException>(() => ApplicationFiles.Inspect(project, "option dotnet, app.ini:2"));
        Assert.Contains("not a .dll", error.Message);
    }

    [Fact]
    public void A_library_without_runtimeconfig_is_refused()
    {
        string library = Write("Lib.dll", "");
        var error = Assert.Throws<ApplicationLoadException>(() => ApplicationFiles.Inspect(library, "option dotnet, app.ini:2"));
        Assert.Contains("Lib.runtimeconfig.json is missing", error.Message);
    }

    [Fact]
    public void A_broken_runtimeconfig_is_named()
    {
        string app = Write("App.dll", "");
        Write("App.runtimeconfig.json", "{");
        var error = Assert.Throws<ApplicationLoadException>(() => ApplicationFiles.Inspect(app, "option dotnet, app.ini:2"));
        Assert.Contains($"{_dir}/App.runtimeconfig.json: invalid JSON", error.Message);
    }

    [Fact]
    public void A_web_app_gets_the_asp_net_core_folder()
    {
        string app = Write("App.dll", "");
        Write("App.runtimeconfig.json", """{ "runtimeOptions": { "frameworks": [ { "name": "Microsoft.NETCore.App", "version": "10.0.0" }, { "name": "Microsoft.AspNetCore.App", "version": "10.0.0" } ] } }""");

        var files = ApplicationFiles.Inspect(app, "option dotnet, app.ini:2");

        Assert.Equal(app, files.MainAssembly);
        Assert.Contains("Microsoft.AspNetCore.App", Assert.Single(files.FrameworkDirectories));
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
