using System.Reflection;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>The Perl side of the plugin (<c>Perl/ForkServerPsgi.pm</c>), compiled into the assembly.</summary>
internal static class GlueModule
{
    private const string ResourceName = "ForkServer.Plugins.Psgi.ForkServerPsgi.pm";

    /// <summary>The module's source, given to <c>perl_parse</c> as the <c>-e</c> program.</summary>
    public static string ReadSource()
    {
        using Stream stream = typeof(GlueModule).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new PerlException($"the assembly lacks its embedded resource {ResourceName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
