using ForkServer.Kernel.Emperor;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Plugins;
using ForkServer.Kernel.Vassal;

namespace ForkServer.Kernel;

/// <summary>
/// <c>forkserver --check ...</c> and <c>forkserver --print-config ...</c>: reads and validates a configuration as a
/// start would (the plugins it names or implies are loaded for their option declarations; no application is loaded,
/// no socket bound, nothing forked), reports every problem with its file:line, and, for <c>--print-config</c>, prints
/// the resolved options.
/// </summary>
internal static class ConfigurationCheck
{
    private const string CheckArgument = "--check";
    private const string PrintArgument = "--print-config";

    /// <summary>True when <paramref name="args"/> ask for a check; <paramref name="rest"/> is then the configuration's arguments.</summary>
    public static bool IsRequested(IReadOnlyList<string> args, out bool print, out string[] rest)
    {
        print = args.Contains(PrintArgument);
        rest = args.Where(a => a is not (CheckArgument or PrintArgument)).ToArray();
        return print || args.Contains(CheckArgument);
    }

    /// <summary>Checks; returns the exit code: 0 when the configuration is valid, 1 when not.</summary>
    /// <param name="args">The configuration's arguments, as for a start.</param>
    /// <param name="print">Also print the resolved options.</param>
    /// <param name="output">Writes a line to standard output: notes and the resolved options.</param>
    /// <param name="error">Writes a line to standard error: the problems.</param>
    public static int Run(IReadOnlyList<string> args, bool print, Action<string> output, Action<string> error)
    {
        KernelConfiguration configuration;
        try
        {
            configuration = KernelConfiguration.Load(args, Environment.CurrentDirectory);
            CheckSettings(configuration.Options);
        }
        catch (ConfigurationException e)
        {
            foreach (var problem in e.Errors)
            {
                error(problem.ToString());
            }

            error($"invalid: {e.Errors.Count} error(s)");
            return 1;
        }
        catch (Exception e) when (e is PluginLoadException or StartupException)
        {
            error(e.Message);
            error("invalid: 1 error(s)");
            return 1;
        }

        foreach (var option in UwsgiCompatibility.NoEffect)
        {
            if (configuration.Options.Contains(option.Name))
            {
                output($"{configuration.Options.DescribeSource(option.Name)}: '{option.Name}' has no effect in ForkServer: {option.Instead}");
            }
        }

        if (print)
        {
            Print(configuration, output);
        }

        output("valid");
        return 0;
    }

    // The settings a start reads first, whose problems (a missing http-socket, a value out of range) are not the schema's.
    private static void CheckSettings(Abstractions.IOptionValues options)
    {
        if (options.Contains("emperor"))
        {
            _ = EmperorSettings.From(options);
        }
        else if (!options.Contains("fork-server"))
        {
            _ = VassalSettings.From(options);
        }
    }

    // One "name = value ; where" line per value, as an ini section would set them.
    private static void Print(KernelConfiguration configuration, Action<string> output)
    {
        output("[uwsgi]");
        output($"; plugins loaded: {(configuration.Plugins.Count == 0 ? "none" : string.Join(", ", configuration.Plugins.Select(p => p.Name)))}");
        var options = (OptionValues)configuration.Options;
        foreach (var name in options.SetNames)
        {
            foreach (var value in options.GetBoundValues(name))
            {
                output($"{name} = {value.Value} ; {value.Source}");
            }
        }
    }
}
