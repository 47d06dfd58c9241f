// A search service whose start-up does real work: it builds an in-memory inverted index over a generated corpus
// (about 5 s on a 2-core machine) before it serves. Preloaded by ForkServer, that work is done once, in the base.
using DotnetIndex;

var builder = WebApplication.CreateBuilder(args);
int documents = builder.Configuration.GetValue("Index:Documents", 200_000);
var index = WordIndex.Build(new Corpus(seed: 42, documents));
builder.Services.AddSingleton(index);

var app = builder.Build();
app.Logger.LogInformation("index of {Documents} documents and {Terms} terms built", index.DocumentCount, index.TermCount);

app.MapGet("/", (WordIndex idx) => $"index of {idx.DocumentCount} documents, {idx.TermCount} terms\n");
app.MapGet("/search", (string q, WordIndex idx) =>
{
    var hits = idx.Search(q);
    return Results.Ok(new { query = q, count = hits.Count, first = hits.Take(10) });
});

app.Run();
