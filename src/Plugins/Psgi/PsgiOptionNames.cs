namespace ForkServer.Plugins.Psgi;

/// <summary>The option names the PSGI plugin declares.</summary>
internal static class PsgiOptionNames
{
    public const string App = "psgi";
    public const string EarlyApp = "early-psgi";
    public const string PerlArgument = "perl-arg";
}
