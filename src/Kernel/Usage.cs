using ForkServer.Kernel.Options;

namespace ForkServer.Kernel;

/// <summary>The text of <c>forkserver --help</c>.</summary>
internal static class Usage
{
    public static string Text
    {
        get
        {
            var lines = new List<string>
            {
                "usage: forkserver --ini app.ini[:section] [--key value ...]",
                "       forkserver --plugins psgi --http-socket 127.0.0.1:8080 --psgi app.psgi --processes 2",
                "",
                "kernel options (plugins add their own, e.g. psgi: psgi, early-psgi, perl-arg):",
            };
            lines.AddRange(KernelOptions.All.OrderBy(o => o.Name).Select(o => $"  --{o.Name,-22} {o.Description}"));
            return string.Join('\n', lines);
        }
    }
}
