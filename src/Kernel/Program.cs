using ForkServer.Abstractions;
using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Emperor;
using ForkServer.Kernel.Forking;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Logging;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using Microsoft.Extensions.DependencyInjection;

namespace ForkServer.Kernel;

/// <summary>The <c>forkserver</c> command: <c>forkserver --ini app.ini</c> or the same options as <c>--key value</c>.</summary>
internal static partial class Program
{
    private static int Main(string[] args)
    {
        // Before anything else: make the process fit to fork (this may re-exec it once; see ForkReadyStart).
        ForkReadyStart.Ensure();
        if (args is ["--version"])
        {
            WriteLine(typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            return 0;
        }

        if (args.Length == 0 || args is ["--help"] or ["-h"])
        {
            WriteLine(Usage.Text);
            return args.Length == 0 ? 1 : 0;
        }

        if (ConfigurationCheck.IsRequested(args, out bool print, out var configurationArgs))
        {
            return ConfigurationCheck.Run(configurationArgs, print, WriteLine, text => Write(StandardStreams.ErrorFd, text));
        }

        using var logging = KernelLogging.Create();
        var log = logging.CreateLogger("forkserver");
        try
        {
            var configuration = KernelConfiguration.Load(args, Environment.CurrentDirectory);
            StartupSteps.ShapeProcess(configuration.Options);
            using var services = KernelServices.Build(configuration, logging, VassalLaunch.Classic());
            if (configuration.Options.Contains("emperor"))
            {
                return services.GetRequiredService<EmperorSupervisor>().Run();
            }

            return configuration.Options.Contains("fork-server")
                ? services.GetRequiredService<ForkServerBase>().Run()
                : services.GetRequiredService<VassalStartup>().Run();
        }
        catch (Exception e) when (e is ConfigurationException or PluginLoadException or ApplicationLoadException or StartupException or ForkRefusedException)
        {
            Log.CannotStart(log, e.Message);
            return 1;
        }
    }

    private static void WriteLine(string text) => Write(StandardStreams.OutputFd, text);

    private static void Write(int fd, string line)
    {
        // Not Console: see StandardErrorSink for why the kernel never touches it.
        new DescriptorWriteStream(fd).Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
    }
}
