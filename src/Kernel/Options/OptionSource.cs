namespace ForkServer.Kernel.Options;

/// <summary>Where a configuration value was written: a line of an ini file, or the command line.</summary>
/// <param name="File">The ini file as it was referenced (relative to the working directory when written so), or
/// <c>null</c> for the command line.</param>
/// <param name="Line">The 1-based line in <paramref name="File"/>; on the command line, the 1-based position of
/// the argument, kept so sources stay distinct and ordered even though it is not printed.</param>
internal sealed record OptionSource(string? File, int Line)
{
    /// <summary>The source of the argument at 1-based <paramref name="position"/> on the command line.</summary>
    public static OptionSource CommandLine(int position) => new(null, position);

    /// <summary><c>app.ini:12</c>, or <c>command line</c>.</summary>
    public override string ToString() => File is null ? "command line" : $"{File}:{Line}";
}
