namespace ForkServer.Kernel.Options;

/// <summary>
/// Turns the arguments a vassal is started with (as the Emperor sends them: no program name) into options in
/// reading order, reading <c>--ini</c> files where they appear.
/// </summary>
internal static class ConfigurationReader
{
    /// <summary>Reads <paramref name="args"/>, throwing when a file or argument cannot be read.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="workingDirectory">What relative paths and command-line <c>%d</c> are relative to.</param>
    /// <param name="schema">Tells flags (which never take the next argument) and aliases apart.</param>
    /// <exception cref="ConfigurationException">Every reading problem found.</exception>
    public static IReadOnlyList<RawOption> Read(IReadOnlyList<string> args, string workingDirectory, OptionSchema schema)
    {
        var session = ReadSession(args, workingDirectory, schema);
        return session.Errors.Count == 0
            ? session.Options
            : throw new ConfigurationException(session.Errors.Select(e => e.Error).ToArray());
    }

    /// <summary>Reads <paramref name="args"/>, keeping the options and the problems with their reading positions.</summary>
    /// <inheritdoc cref="Read(IReadOnlyList{string}, string, OptionSchema)"/>
    public static ReadingSession ReadSession(IReadOnlyList<string> args, string workingDirectory, OptionSchema schema)
    {
        var session = new ReadingSession(schema, workingDirectory);
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var source = OptionSource.CommandLine(i + 1);
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                session.Fail(source, null, $"unexpected argument '{arg}' (options are written --key value or --key=value)");
                continue;
            }

            string key = arg[2..];
            string? value = null;
            int equals = key.IndexOf('=');
            if (equals >= 0)
            {
                value = key[(equals + 1)..];
                key = key[..equals];
            }
            else if (i + 1 < args.Count && TakesNext(session, key, args[i + 1]))
            {
                value = args[++i];
            }

            if (key.Length == 0)
            {
                session.Fail(source, null, $"unexpected argument '{arg}' (no option name before '=')");
                continue;
            }

            session.Set(key, value, source, session.CommandLineVariables, includingFile: null);
        }

        return session;
    }

    // A declared option needing a value takes the next argument even when it looks like a negative number;
    // an unknown one only when it does not look like an option, so the error names the right key.
    private static bool TakesNext(ReadingSession session, string key, string next)
        => !session.IsFlag(key)
           && !next.StartsWith(session.IsValued(key) ? "--" : "-", StringComparison.Ordinal);
}
