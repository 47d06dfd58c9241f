using ForkServer.Abstractions;

namespace ForkServer.Plugins.Psgi;

/// <summary>
/// Runs Perl PSGI applications in an embedded libperl (5.36, thread-multi): the application is compiled once
/// in the process that forks, and every worker serves it from the shared, copy-on-write interpreter.
/// </summary>
/// <remarks>
/// <para>Options: <c>early-psgi</c> loads in <see cref="LoadPhase.Early"/>, <c>psgi</c> in
/// <see cref="LoadPhase.Master"/>. When both are given the early one wins: the Master phase then loads
/// nothing (returns <c>null</c>), so one application is loaded per process. <c>perl-arg</c> (repeatable) adds
/// interpreter arguments such as <c>-I/srv/lib</c> or <c>-MSome::Module</c>.</para>
/// <para>A process has one Perl interpreter, started by the first load; its <c>perl-arg</c> values are fixed
/// from then on.</para>
/// </remarks>
public sealed class PsgiPlugin : IForkServerPlugin
{
    /// <inheritdoc />
    public string Name => "psgi";

    /// <inheritdoc />
    public IReadOnlyList<OptionDeclaration> Options { get; } =
    [
        new(PsgiOptionNames.App, OptionType.Path, "PSGI application (.psgi file) loaded in the vassal's master"),
        new(PsgiOptionNames.EarlyApp, OptionType.Path, "PSGI application (.psgi file) loaded right after the options are parsed, before anything else"),
        new(PsgiOptionNames.PerlArgument, OptionType.Text, "extra Perl interpreter argument, such as -I/srv/lib", Repeatable: true),
    ];

    /// <inheritdoc />
    public IEarlyLoader Loader { get; } = new PsgiLoader();
}
