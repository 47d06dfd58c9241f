using ForkServer.Abstractions;

namespace ForkServer.Kernel.Options;

/// <summary>Building <see cref="OptionValues"/>: checking each raw option against the schema.</summary>
internal sealed partial class OptionValues
{
    // uWSGI splits these on commas (plugins = psgi, dotnet); no other option is split.
    private const string PluginsOption = "plugins";

    /// <summary>Reads <paramref name="args"/> and binds the result, reporting reading and binding problems together.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="workingDirectory">What relative paths are relative to.</param>
    /// <param name="schema">The options of the kernel and every loaded plugin.</param>
    /// <exception cref="ConfigurationException">Every problem found.</exception>
    public static OptionValues Load(IReadOnlyList<string> args, string workingDirectory, OptionSchema schema)
    {
        var session = ConfigurationReader.ReadSession(args, workingDirectory, schema);
        return Bind(session.Options, schema, session.Errors);
    }

    /// <summary>Checks every option against the schema and keeps the values.</summary>
    /// <exception cref="ConfigurationException">Every problem found: unknown options and values of the wrong type.</exception>
    public static OptionValues Bind(IReadOnlyList<RawOption> raw, OptionSchema schema)
        => Bind(raw, schema, []);

    /// <summary>Binds, reporting reading and binding problems together in reading order.</summary>
    /// <param name="raw">The options in reading order.</param>
    /// <param name="schema">The options of the kernel and every loaded plugin.</param>
    /// <param name="readingErrors">Problems met while reading, each placed before the option at its position.</param>
    private static OptionValues Bind(
        IReadOnlyList<RawOption> raw, OptionSchema schema, IReadOnlyList<(int Position, ConfigurationError Error)> readingErrors)
    {
        var values = new Dictionary<string, List<BoundValue>>(StringComparer.Ordinal);
        var errors = new List<ConfigurationError>();
        int nextReadingError = 0;
        for (int index = 0; index < raw.Count; index++)
        {
            ReportReadingErrorsBefore(index);
            var option = raw[index];
            if (!schema.TryGet(option.Key, out var declaration))
            {
                errors.Add(new(option.Source, option.Key, UwsgiCompatibility.DescribeUnknown(option.Key, schema)));
                continue;
            }

            if (!TryCheck(declaration, option.Value, out var value, out var problem))
            {
                errors.Add(new(option.Source, option.Key, problem));
                continue;
            }

            if (!values.TryGetValue(declaration.Name, out var list))
            {
                list = [];
                values.Add(declaration.Name, list);
            }

            var pieces = declaration.Name == PluginsOption
                ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [value];
            list.AddRange(pieces.Select(piece => new BoundValue(piece, option.Source)));
        }

        ReportReadingErrorsBefore(int.MaxValue);
        return errors.Count == 0 ? new OptionValues(schema, values) : throw new ConfigurationException(errors);

        void ReportReadingErrorsBefore(int position)
        {
            while (nextReadingError < readingErrors.Count && readingErrors[nextReadingError].Position <= position)
            {
                errors.Add(readingErrors[nextReadingError++].Error);
            }
        }
    }

    private static bool TryCheck(OptionDeclaration declaration, string? raw, out string value, out string problem)
    {
        value = raw ?? "";
        problem = "";
        switch (declaration.Type)
        {
            case OptionType.Flag when TryParseFlag(value, out bool flag):
                value = flag ? "true" : "false";
                return true;
            case OptionType.Flag:
                problem = $"expected a boolean (true/false, yes/no, on/off, 1/0), got '{value}'";
                return false;
            case not OptionType.Flag when raw is null:
                problem = "missing value";
                return false;
            case OptionType.Integer when !TryParseInteger(value, out _):
                problem = $"expected a whole number, got '{value}'";
                return false;
            case OptionType.Path when value.Length == 0:
                problem = "expected a path, got nothing";
                return false;
            default:
                return true;
        }
    }
}
