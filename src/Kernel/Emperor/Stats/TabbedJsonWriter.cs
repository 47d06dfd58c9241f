using System.Globalization;
using System.Text;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>
/// Writes JSON laid out the way uWSGI's stats are: one member per line, tab indentation, <c>"key":value</c>
/// without a space. Hand-rolled because <see cref="System.Text.Json.Utf8JsonWriter"/> always puts a space after
/// the colon, and people diff our output against uWSGI's.
/// </summary>
internal sealed class TabbedJsonWriter
{
    private readonly StringBuilder _text = new();

    // One entry per open object or array: whether it has a member yet (decides the comma and the closing line).
    private readonly Stack<bool> _open = new();

    /// <summary>Opens an object, as a member when <paramref name="name"/> is given, else as an array element.</summary>
    public void StartObject(string? name = null) => Open(name, '{');

    /// <summary>Closes the innermost object.</summary>
    public void EndObject() => Close('}');

    /// <summary>Opens an array, as a member when <paramref name="name"/> is given, else as an array element.</summary>
    public void StartArray(string? name = null) => Open(name, '[');

    /// <summary>Closes the innermost array.</summary>
    public void EndArray() => Close(']');

    /// <summary>Writes an integer.</summary>
    public void Number(string? name, long value)
    {
        Member(name);
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes a boolean as 0 or 1, as uWSGI does.</summary>
    public void Flag(string? name, bool value) => Number(name, value ? 1 : 0);

    /// <summary>Writes an escaped string.</summary>
    public void String(string? name, string value)
    {
        Member(name);
        AppendQuoted(value);
    }

    /// <summary>The finished document as UTF-8, with a final newline.</summary>
    public byte[] ToUtf8()
    {
        if (_open.Count != 0)
        {
            throw new InvalidOperationException($"{_open.Count} object(s) or array(s) are still open");
        }

        _text.Append('\n');

        // Lone surrogates become U+FFFD here, so the document stays valid UTF-8 whatever the strings held.
        return Encoding.UTF8.GetBytes(_text.ToString());
    }

    private void Open(string? name, char bracket)
    {
        Member(name);
        _text.Append(bracket);
        _open.Push(false);
    }

    private void Close(char bracket)
    {
        bool hadMembers = _open.Pop();
        if (hadMembers)
        {
            NewLine(_open.Count);
        }

        _text.Append(bracket);
    }

    private void Member(string? name)
    {
        if (_open.Count > 0)
        {
            if (_open.Pop())
            {
                _text.Append(',');
            }

            _open.Push(true);
            NewLine(_open.Count);
        }

        if (name is not null)
        {
            AppendQuoted(name);
            _text.Append(':');
        }
    }

    private void NewLine(int depth) => _text.Append('\n').Append('\t', depth);

    private void AppendQuoted(string value)
    {
        _text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                case < ' ': _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: _text.Append(c); break;
            }
        }

        _text.Append('"');
    }
}
