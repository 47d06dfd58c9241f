namespace ForkServer.Kernel.Options;

/// <summary>Levenshtein distance, used to suggest the option a user meant when they mistyped one.</summary>
internal static class EditDistance
{
    private const int MaxSuggestionDistance = 2;

    /// <summary>
    /// The name among <paramref name="names"/> closest to a mistyped <paramref name="unknown"/> (edit distance at most
    /// 2), or <c>null</c>. Ties go to the name first in ordinal order, so the answer does not depend on their order.
    /// </summary>
    public static string? Closest(string unknown, IEnumerable<string> names)
    {
        string? best = null;
        int bestDistance = MaxSuggestionDistance + 1;
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            int distance = Between(unknown, name, bestDistance);
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>
    /// The number of single-character insertions, deletions and substitutions turning <paramref name="a"/> into
    /// <paramref name="b"/>; any result of <paramref name="cap"/> or more is reported as <paramref name="cap"/>,
    /// which lets far-apart names be skipped without computing the whole table.
    /// </summary>
    public static int Between(string a, string b, int cap)
    {
        if (Math.Abs(a.Length - b.Length) >= cap)
        {
            return cap;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowMinimum = current[0];
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
                rowMinimum = Math.Min(rowMinimum, current[j]);
            }

            if (rowMinimum >= cap)
            {
                return cap;
            }

            (previous, current) = (current, previous);
        }

        return Math.Min(previous[b.Length], cap);
    }
}
