namespace DotnetIndex;

/// <summary>An inverted index: for every word, the sorted ids of the documents containing it.</summary>
public sealed class WordIndex
{
    private readonly Dictionary<string, int[]> _postings;

    private WordIndex(Dictionary<string, int[]> postings, int documents)
    {
        _postings = postings;
        DocumentCount = documents;
    }

    public int DocumentCount { get; }

    public int TermCount => _postings.Count;

    public static WordIndex Build(Corpus corpus)
    {
        var lists = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        int id = 0;
        foreach (var document in corpus.Documents())
        {
            foreach (var word in document.Distinct())
            {
                string normalized = word.ToUpperInvariant().ToLowerInvariant();
                if (!lists.TryGetValue(normalized, out var list))
                {
                    lists[normalized] = list = new List<int>();
                }

                list.Add(id);
            }

            id++;
        }

        return new WordIndex(lists.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), id);
    }

    /// <summary>Documents containing every word of <paramref name="query"/> (space-separated).</summary>
    public IReadOnlyList<int> Search(string query)
    {
        var terms = query.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant())
            .ToList();
        if (terms.Count == 0 || terms.Any(t => !_postings.ContainsKey(t)))
        {
            return [];
        }

        IEnumerable<int> hits = _postings[terms[0]];
        foreach (var term in terms.Skip(1))
        {
            hits = hits.Intersect(_postings[term]);
        }

        return hits.ToList();
    }
}
