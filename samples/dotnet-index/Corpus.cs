namespace DotnetIndex;

/// <summary>A deterministic corpus of documents made of pseudo-words, so every start builds the same index.</summary>
public sealed class Corpus(int seed, int documents)
{
    private const int Vocabulary = 50_000;
    private const int WordsPerDocument = 12;

    public int Count => documents;

    /// <summary>The word with rank <paramref name="rank"/> (0 is the most frequent).</summary>
    public static string Word(int rank)
    {
        Span<char> letters = stackalloc char[8];
        int length = 0;
        for (int n = rank + 1; n > 0; n /= 26)
        {
            letters[length++] = (char)('a' + n % 26);
        }

        return new string(letters[..length]);
    }

    /// <summary>Every document as its words, in order.</summary>
    public IEnumerable<string[]> Documents()
    {
        var random = new Random(seed);
        var words = Enumerable.Range(0, Vocabulary).Select(Word).ToArray();
        for (int d = 0; d < documents; d++)
        {
            var text = new string[WordsPerDocument];
            for (int w = 0; w < text.Length; w++)
            {
                // Zipf-like: small ranks are far more frequent, as in natural text.
                double u = random.NextDouble();
                text[w] = words[(int)(Vocabulary * u * u * u)];
            }

            yield return text;
        }
    }
}
