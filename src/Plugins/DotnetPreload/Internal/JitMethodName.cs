namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// A method as the JIT names it in its compilation summary (<c>DOTNET_JitDisasmSummary</c>), e.g.
/// <c>System.Runtime.CompilerServices.AsyncMethodBuilderCore:Start[Some.Type+&lt;RunAsync&gt;d__3](byref)</c>: the
/// declaring type with its generic arguments, the method's name, its own generic arguments and its parameters.
/// </summary>
/// <remarks>
/// Parameters are only counted: the JIT writes them in its own shorthand (<c>byref</c>, <c>ptr</c>), which does not
/// pin an overload down; every overload that fits is compiled, which costs little and misses nothing.
/// </remarks>
internal sealed record JitMethodName(string Text, string DeclaringType, string Name, IReadOnlyList<string> MethodArguments, int ParameterCount)
{
    /// <summary>
    /// Parses <paramref name="text"/>; null for what has no metadata to compile it from (IL stubs, dynamic methods)
    /// and for text that is not a JIT method name.
    /// </summary>
    public static JitMethodName? Parse(string text)
    {
        int colon = IndexAtDepthZero(text, ':', 0);
        if (colon <= 0 || text.StartsWith('(') || text.Contains("IL_STUB", StringComparison.Ordinal))
        {
            return null;
        }

        int parameters = IndexAtDepthZero(text, '(', colon + 1);
        if (parameters < 0 || !text.EndsWith(')'))
        {
            return null;
        }

        string method = text[(colon + 1)..parameters];
        var arguments = Array.Empty<string>();
        int bracket = method.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && method.EndsWith(']'))
        {
            arguments = SplitArguments(method[(bracket + 1)..^1]);
            method = method[..bracket];
        }

        string parameterList = text[(parameters + 1)..^1];
        return new JitMethodName(text, text[..colon], method, arguments, parameterList.Length == 0 ? 0 : SplitArguments(parameterList).Length);
    }

    /// <summary>Splits a comma-separated list of type names at its top level (generic arguments nest in brackets).</summary>
    public static string[] SplitArguments(string list)
    {
        var parts = new List<string>();
        int start = 0;
        while (true)
        {
            int comma = IndexAtDepthZero(list, ',', start);
            if (comma < 0)
            {
                parts.Add(list[start..]);
                return parts.ToArray();
            }

            parts.Add(list[start..comma]);
            start = comma + 1;
        }
    }

    private static int IndexAtDepthZero(string text, char wanted, int start)
    {
        int depth = 0;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (depth == 0 && c == wanted)
            {
                return i;
            }

            depth += c switch
            {
                '[' or '(' => 1,
                ']' or ')' => -1,
                _ => 0,
            };
        }

        return -1;
    }
}
