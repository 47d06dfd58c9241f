using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// <c>forkserver --check</c> over real uWSGI ini files from public repositories (tests/corpus/uwsgi-ini, each with
/// its source and expected outcome in the README.md table there). An outcome is <c>valid</c>, or what blocks the
/// file: <c>python</c> (an option needing the python plugin), the names of the options ForkServer does not
/// implement or know, <c>syntax</c> (a line uWSGI's ini reader takes and ForkServer's does not),
/// <c>plugin:name</c> (a plugin ForkServer does not have), <c>no-http-socket</c>. When an option is implemented,
/// a file's outcome changes and its row must be updated: the table tracks progress.
/// </summary>
public sealed partial class UwsgiCorpusTests(ITestOutputHelper output)
{
    private static readonly string CorpusDirectory = Path.Combine(RepositoryLayout.Root, "tests", "corpus", "uwsgi-ini");

    [Fact]
    public void Every_corpus_file_checks_to_its_recorded_outcome()
    {
        var expected = ReadTable();
        Assert.True(expected.Count >= 30, $"the corpus has {expected.Count} files, fewer than 30");
        Assert.Equal(
            Directory.GetFiles(CorpusDirectory, "*.ini").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            expected.Keys.Order(StringComparer.Ordinal));

        var actual = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in expected.Keys.Order(StringComparer.Ordinal))
        {
            actual[file] = Check(file);
        }

        int valid = actual.Values.Count(o => o == "valid");
        int pythonOnly = actual.Values.Count(o => o == "python");
        int psgi = expected.Keys.Count(f => f.StartsWith("psgi-", StringComparison.Ordinal));
        int psgiValid = actual.Count(p => p.Key.StartsWith("psgi-", StringComparison.Ordinal) && p.Value == "valid");
        output.WriteLine($"uWSGI corpus: {valid} of {actual.Count} files valid ({psgiValid} of {psgi} PSGI); {pythonOnly} fail only with 'needs the python plugin'");
        foreach (var (file, outcome) in actual)
        {
            output.WriteLine($"  {file}: {outcome}");
        }

        var differences = actual.Where(p => p.Value != expected[p.Key]).Select(p => $"{p.Key}: expected '{expected[p.Key]}', got '{p.Value}'").ToList();
        Assert.True(differences.Count == 0, "outcomes differ from the README.md table:\n" + string.Join('\n', differences));
    }

    // The outcome of --check on one file, as the README.md table writes it.
    private static string Check(string file)
    {
        using var process = ForkServerProcess.Start(CorpusDirectory, "--check", "--ini", file);
        int exitCode = process.WaitForExit();
        if (exitCode == 0)
        {
            return "valid";
        }

        Assert.Equal(1, exitCode);
        var blockers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Blocker(line) is { } blocker)
            {
                blockers.Add(blocker);
            }
        }

        Assert.NotEmpty(blockers);
        return string.Join(", ", blockers.OrderBy(b => b == "python" ? 0 : 1).ThenBy(b => b, StringComparer.Ordinal));
    }

    private static string? Blocker(string line)
    {
        if (line.Contains("needs the python plugin", StringComparison.Ordinal))
        {
            return "python";
        }

        if (KeyError().Match(line) is { Success: true } key)
        {
            return key.Groups[1].Value;
        }

        if (line.Contains("expected 'key = value'", StringComparison.Ordinal))
        {
            return "syntax";
        }

        if (PluginError().Match(line) is { Success: true } plugin)
        {
            return "plugin:" + plugin.Groups[1].Value;
        }

        if (line.StartsWith("no http-socket", StringComparison.Ordinal))
        {
            return "no-http-socket";
        }

        return line.StartsWith("invalid:", StringComparison.Ordinal) || line.Contains("has no effect in ForkServer", StringComparison.Ordinal)
            ? null
            : "other: " + line;
    }

    // | `file.ini` | repository | path | commit | expected |
    private static Dictionary<string, string> ReadTable()
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(CorpusDirectory, "README.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length == 7 && cells[1].StartsWith('`') && cells[1].EndsWith(".ini`", StringComparison.Ordinal))
            {
                rows.Add(cells[1].Trim('`'), cells[5]);
            }
        }

        return rows;
    }

    [GeneratedRegex(@"key '([^']+)': ")]
    private static partial Regex KeyError();

    [GeneratedRegex(@"^plugin '([^']+)'")]
    private static partial Regex PluginError();
}
