namespace ForkServer.Kernel.Emperor.Monitoring;

/// <summary>
/// A shell glob for one file name: <c>*</c> (any run), <c>?</c> (one character) and <c>[...]</c> (a set, with
/// ranges <c>a-z</c> and negation <c>[!...]</c> or <c>[^...]</c>). A <c>[</c> without its <c>]</c> is literal.
/// </summary>
internal sealed class GlobPattern
{
    private readonly string _pattern;

    public GlobPattern(string pattern) => _pattern = pattern;

    /// <summary>Whether <paramref name="text"/> contains glob metacharacters.</summary>
    public static bool IsGlob(string text) => text.AsSpan().IndexOfAny('*', '?', '[') >= 0;

    /// <summary>Whether <paramref name="name"/> matches the whole pattern.</summary>
    public bool Matches(string name)
    {
        int p = 0;
        int n = 0;

        // Where to resume after the last '*' when a later literal fails: that star swallows one more character.
        int starPattern = -1;
        int starName = 0;

        while (n < name.Length)
        {
            if (p < _pattern.Length && _pattern[p] == '*')
            {
                starPattern = ++p;
                starName = n;
                continue;
            }

            if (p < _pattern.Length && MatchOne(ref p, name[n]))
            {
                n++;
                continue;
            }

            if (starPattern < 0)
            {
                return false;
            }

            p = starPattern;
            n = ++starName;
        }

        while (p < _pattern.Length && _pattern[p] == '*')
        {
            p++;
        }

        return p == _pattern.Length;
    }

    public override string ToString() => _pattern;

    /// <summary>Matches one pattern element at <paramref name="p"/> against <paramref name="c"/>, advancing past it on success.</summary>
    private bool MatchOne(ref int p, char c)
    {
        char element = _pattern[p];
        if (element == '?')
        {
            p++;
            return true;
        }

        if (element == '[' && TryMatchSet(p, c, out bool inSet, out int next))
        {
            p = next;
            return inSet;
        }

        if (element == c)
        {
            p++;
            return true;
        }

        return false;
    }

    /// <summary>Reads the set starting at <paramref name="open"/>; false when it is not closed (then '[' is literal).</summary>
    private bool TryMatchSet(int open, char c, out bool inSet, out int next)
    {
        int i = open + 1;
        bool negated = i < _pattern.Length && _pattern[i] is '!' or '^';
        if (negated)
        {
            i++;
        }

        bool found = false;

        // A ']' right after the opening (or the negation) is a member, as in POSIX.
        for (bool first = true; i < _pattern.Length && (first || _pattern[i] != ']'); first = false)
        {
            char low = _pattern[i];
            if (i + 2 < _pattern.Length && _pattern[i + 1] == '-' && _pattern[i + 2] != ']')
            {
                found |= c >= low && c <= _pattern[i + 2];
                i += 3;
            }
            else
            {
                found |= c == low;
                i++;
            }
        }

        inSet = found != negated;
        next = i + 1;
        return i < _pattern.Length;
    }
}
