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
            DefaultPlackEnv();
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

    /// <summary>
    /// <c>PLACK_ENV=deployment</c> unless the environment (or an <c>env</c> option) already sets it: frameworks that
    /// read it (Mojolicious, Dancer) would otherwise run in development mode and show debug pages to clients.
    /// </summary>
    private static unsafe void DefaultPlackEnv()
    {
        fixed (byte* name = "PLACK_ENV\0"u8)
        fixed (byte* value = "deployment\0"u8)
        {
            _ = LibC.SetEnv(name, value, 0);
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
