using System.Globalization;

namespace ForkServer.Kernel.Options;

/// <summary>
/// uWSGI's logic blocks: <c>if-env = NAME</c> (or <c>NAME=value</c>), <c>if-not-env</c>, <c>if-opt</c>,
/// <c>if-not-opt</c>, <c>if-exists</c>, <c>if-not-exists</c>, <c>if-file</c>, <c>if-not-file</c>, <c>if-dir</c>,
/// <c>if-not-dir</c>, <c>if-hostname</c>, <c>if-not-hostname</c> and <c>else</c> take the keys up to <c>endif</c>
/// when their condition holds; <c>for = a b c</c>, <c>for-times = N</c> and <c>for-readline = file</c> take each
/// key up to <c>endfor</c> once per item. <c>%(_)</c> in those keys' values is the item (for a condition: the
/// variable's value, the option's value or the path). Blocks do not nest, as in uWSGI; one still open at the end
/// of its file ends there (uWSGI would carry it on into whatever is read next).
/// </summary>
internal sealed partial class ReadingSession
{
    private const string ItemPlaceholder = "%(_)";
    private const string ElseKey = "else";
    private const int MaxLoopItems = 10_000;

    private static readonly string[] BlockEnds = ["endif", "end-if", "endfor", "end-for", "end"];

    private static readonly string[] BlockOpeners =
    [
        "if-env", "ifenv", "if-not-env", "if-opt", "if-not-opt", "if-exists", "ifexists", "if-not-exists",
        "if-file", "if-not-file", "if-dir", "if-not-dir", "if-hostname", "if-not-hostname",
        "for", "for-times", "for-readline",
    ];

    // The open block, or null.
    private LogicBlock? _block;

    // Whether the last condition failed, for an 'else' right after its block.
    private bool _lastConditionFailed;

    /// <summary>True when <paramref name="key"/> is part of the ini language's logic and was handled as such.</summary>
    private bool TryTakeLogic(string key, string? value, OptionSource source, MagicVariables magic, string? includingFile)
    {
        if (Array.IndexOf(BlockEnds, key) >= 0)
        {
            _block = null;
            _lastConditionFailed = false;
            return true;
        }

        if (key == ElseKey)
        {
            // Ends the block before it, as uWSGI's does, and takes what follows when that block's condition failed.
            _block = new LogicBlock(key, source, _lastConditionFailed ? [null] : []);
            return true;
        }

        bool opens = Array.IndexOf(BlockOpeners, key) >= 0;
        if (_block is { } block)
        {
            if (opens)
            {
                Fail(source, key, $"'{key}' inside the '{block.Opener}' block opened at {block.Source}: blocks do not nest (close it with 'endif' or 'endfor' first)");
                return true;
            }

            foreach (var item in block.Items)
            {
                Take(key, item is null || value is null ? value : value.Replace(ItemPlaceholder, item, StringComparison.Ordinal), source, magic, includingFile);
            }

            return true;
        }

        if (!opens)
        {
            return false;
        }

        string? problem = string.IsNullOrEmpty(value) ? "missing value (what the block tests or goes over)" : null;
        if (problem is not null || !Placeholders.TryExpand(value!, magic, this, out value, out problem))
        {
            // Reported once; the block's keys are skipped rather than taken unconditionally.
            Fail(source, key, problem);
            _block = new LogicBlock(key, source, []);
            return true;
        }

        var items = BlockItems(key, value, source);
        _lastConditionFailed = items.Count == 0 && key.StartsWith("if", StringComparison.Ordinal);
        _block = new LogicBlock(key, source, items);
        return true;
    }

    // A condition gives its %(_) value when it holds, nothing otherwise; a loop gives its items.
    private List<string?> BlockItems(string key, string data, OptionSource source)
    {
        switch (key)
        {
            case "if-env" or "ifenv" or "if-not-env":
                return Condition(key != "if-not-env", data, Environment.GetEnvironmentVariable);
            case "if-opt" or "if-not-opt":
                return Condition(key == "if-opt", data, ValueOf);
            case "if-exists" or "ifexists" or "if-not-exists":
                return Test(key != "if-not-exists", data, File.Exists(FullPath(data)) || Directory.Exists(FullPath(data)));
            case "if-file" or "if-not-file":
                return Test(key == "if-file", data, File.Exists(FullPath(data)));
            case "if-dir" or "if-not-dir":
                return Test(key == "if-dir", data, Directory.Exists(FullPath(data)));
            case "if-hostname" or "if-not-hostname":
                return Test(key == "if-hostname", data, data == _process.Get('h'));
            case "for":
                return [.. data.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            case "for-times" when int.TryParse(data, NumberStyles.None, CultureInfo.InvariantCulture, out int times) && times <= MaxLoopItems:
                return [.. Enumerable.Range(1, times).Select(i => i.ToString(CultureInfo.InvariantCulture))];
            case "for-times":
                Fail(source, key, $"expected a whole number of times up to {MaxLoopItems}, got '{data}'");
                return [];
            default:
                return ReadLines(key, data, source);
        }
    }

    // if-env/if-opt: NAME holds when set, NAME=value when set to exactly that; %(_) is the value found.
    private static List<string?> Condition(bool positive, string data, Func<string, string?> lookup)
    {
        int equals = data.IndexOf('=');
        string name = equals < 0 ? data : data[..equals];
        string? found = lookup(name);
        bool holds = found is not null && (equals < 0 || found == data[(equals + 1)..]);
        return holds == positive ? [found ?? ""] : [];
    }

    private static List<string?> Test(bool positive, string data, bool holds) => holds == positive ? [data] : [];

    private string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path, _workingDirectory);
        }
        catch (ArgumentException)
        {
            // Not a path (a NUL inside): nothing exists there.
            return "/\u0001nothing";
        }
    }

    // for-readline: the lines of a file.
    private List<string?> ReadLines(string key, string file, OptionSource source)
    {
        if (!TryReadFile(file, out var content, out var error))
        {
            Fail(source, key, error.Replace($"'@({file})'", $"'{file}'", StringComparison.Ordinal));
            return [];
        }

        return content.Length == 0 ? [] : [.. content.Split('\n').Select(line => line.TrimEnd('\r'))];
    }

    /// <summary>An open block: its keyword, where it opened, and the <c>%(_)</c> values its keys are taken with
    /// (none: skipped; a <c>null</c> item: taken once, <c>%(_)</c> left as written).</summary>
    private sealed record LogicBlock(string Opener, OptionSource Source, List<string?> Items);
}
