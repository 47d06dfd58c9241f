using ForkServer.Abstractions;
using ForkServer.Plugins.Psgi.Internal;
using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi;

/// <summary>
/// Loads the <c>.psgi</c> file of the current phase into the process's Perl interpreter: <c>early-psgi</c>
/// in <see cref="LoadPhase.Early"/>, <c>psgi</c> in <see cref="LoadPhase.Master"/> unless an
/// <c>early-psgi</c> took precedence.
/// </summary>
internal sealed class PsgiLoader : IEarlyLoader
{
    /// <summary>The logger category of everything the plugin and its applications log.</summary>
    internal const string LogCategory = "ForkServer.Plugins.Psgi";

    public IPreloadedApplication? Load(LoadContext context)
    {
        string? option = OptionFor(context);
        if (option is null)
        {
            return null;
        }

        string path = context.Options.GetValue(option)!;
        ILogger logger = context.Logging.CreateLogger(LogCategory);
        try
        {
            PerlInterpreter interpreter = PerlInterpreter.Obtain(context.Options.GetValues(PsgiOptionNames.PerlArgument));
            int appId = interpreter.LoadApplication(path, logger);
            PsgiEnvironment.Rehearse();
            return new PsgiApplication(interpreter, appId, Path.GetFullPath(path), logger);
        }
        catch (PerlException exception)
        {
            throw new ApplicationLoadException(
                $"cannot load PSGI application {path} (option {option}, {context.Options.DescribeSource(option)}): {exception.Message}",
                exception);
        }
    }

    private static string? OptionFor(LoadContext context) => context.Phase switch
    {
        LoadPhase.Early when context.Options.Contains(PsgiOptionNames.EarlyApp) => PsgiOptionNames.EarlyApp,
        LoadPhase.Master when context.Options.Contains(PsgiOptionNames.App) && !context.Options.Contains(PsgiOptionNames.EarlyApp)
            => PsgiOptionNames.App,
        _ => null,
    };
}
