using System.Text;

namespace ForkServer.Kernel.Options;

/// <summary>
/// Expands what uWSGI expands in a configuration value: <c>%(key)</c> (an option set earlier), the magic
/// variables (<c>%d</c> …), <c>%%</c>, <c>$(NAME)</c> (an environment variable, empty when unset) and <c>@(file)</c>
/// (the file's content, one final newline dropped). Expansion is a single pass: a substituted value is not expanded
/// again.
/// </summary>
internal static class Placeholders
{
    /// <summary>Expands <paramref name="text"/>, or says what is wrong with its first bad placeholder.</summary>
    /// <param name="text">The value as written.</param>
    /// <param name="magic">The magic variables of the place it was written.</param>
    /// <param name="lookup">Options and placeholders set before this point, and files.</param>
    /// <param name="expanded">The expanded value, on success.</param>
    /// <param name="error">The problem, on failure.</param>
    public static bool TryExpand(
        string text, MagicVariables magic, IPlaceholderLookup lookup, out string expanded, out string error)
    {
        expanded = text;
        error = "";
        if (text.IndexOfAny(['%', '$', '@']) < 0)
        {
            return true;
        }

        var result = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '$' && i + 1 < text.Length && text[i + 1] == '(')
            {
                if (!TryReadName(text, i + 2, "$(", out var name, out i, out error))
                {
                    return false;
                }

                result.Append(Environment.GetEnvironmentVariable(name));
            }
            else if (c == '@' && i + 1 < text.Length && text[i + 1] == '(')
            {
                // The path may use magic variables and $(NAME): uWSGI expands those before reading the file.
                if (!TryReadName(text, i + 2, "@(", out var file, out i, out error)
                    || !TryExpand(file, magic, lookup, out file, out error)
                    || !lookup.TryReadFile(file, out var content, out error))
                {
                    return false;
                }

                result.Append(content);
            }
            else if (c != '%')
            {
                result.Append(c);
                i++;
            }
            else if (i + 1 == text.Length)
            {
                error = "lone '%' at the end of the value (write '%%' for a percent sign)";
                return false;
            }
            else if (text[i + 1] == '(')
            {
                if (!TryReadName(text, i + 2, "%(", out var key, out i, out error))
                {
                    return false;
                }

                var value = lookup.ValueOf(key);
                if (value is null)
                {
                    error = $"'%({key})' refers to no option set before this point";
                    return false;
                }

                result.Append(value);
            }
            else if (text[i + 1] == '%')
            {
                result.Append('%');
                i += 2;
            }
            else
            {
                if (!magic.TryGet(text[i + 1], out var value, out error))
                {
                    return false;
                }

                result.Append(value);
                i += 2;
            }
        }

        expanded = result.ToString();
        return true;
    }

    private static bool TryReadName(string text, int start, string opener, out string name, out int next, out string error)
    {
        name = "";
        next = start;
        error = "";
        int close = text.IndexOf(')', start);
        if (close < 0)
        {
            error = $"'{opener}' is not closed by ')'";
            return false;
        }

        name = text[start..close];
        if (name.Length == 0)
        {
            error = $"'{opener})' names nothing";
            return false;
        }

        next = close + 1;
        return true;
    }
}

/// <summary>What <see cref="Placeholders"/> looks up beyond the magic variables.</summary>
internal interface IPlaceholderLookup
{
    /// <summary>The last value of the option or placeholder <paramref name="key"/> set before this point, or <c>null</c>.</summary>
    string? ValueOf(string key);

    /// <summary>Reads <paramref name="file"/> for <c>@(file)</c>: its content without one final newline.</summary>
    /// <param name="file">The path as written.</param>
    /// <param name="content">The content, on success.</param>
    /// <param name="error">Why it cannot be read, otherwise.</param>
    bool TryReadFile(string file, out string content, out string error);
}
