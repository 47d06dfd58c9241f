using System.Text;

namespace ForkServer.Kernel.Http.RequestLog;

/// <summary>
/// A parsed <c>log-format</c>: literal text and <c>%(name)</c> variables, in order. Read as uWSGI reads it: <c>%(</c>
/// opens a variable that the next <c>)</c> closes; any other text, an unclosed <c>%(</c> included, is literal. An
/// unknown name is an application logvar in uWSGI, which nothing sets here: it prints "-", as an empty value does.
/// </summary>
internal sealed class RequestLogFormat
{
    private static readonly Dictionary<string, RequestLogVariable> s_names = new(StringComparer.Ordinal)
    {
        ["method"] = RequestLogVariable.Method,
        ["uri"] = RequestLogVariable.Uri,
        ["proto"] = RequestLogVariable.Protocol,
        ["user"] = RequestLogVariable.User,
        ["addr"] = RequestLogVariable.Address,
        ["host"] = RequestLogVariable.Host,
        ["uagent"] = RequestLogVariable.UserAgent,
        ["referer"] = RequestLogVariable.Referer,
        ["status"] = RequestLogVariable.Status,
        ["size"] = RequestLogVariable.Size,
        ["rsize"] = RequestLogVariable.ResponseBodySize,
        ["hsize"] = RequestLogVariable.HeadersSize,
        ["headers"] = RequestLogVariable.HeaderCount,
        ["cl"] = RequestLogVariable.ContentLength,
        ["msecs"] = RequestLogVariable.Msecs,
        ["micros"] = RequestLogVariable.Micros,
        ["secs"] = RequestLogVariable.Secs,
        ["time"] = RequestLogVariable.Time,
        ["ctime"] = RequestLogVariable.Ctime,
        ["ltime"] = RequestLogVariable.Ltime,
        ["ftime"] = RequestLogVariable.Ftime,
        ["epoch"] = RequestLogVariable.Epoch,
        ["tmsecs"] = RequestLogVariable.Tmsecs,
        ["tmicros"] = RequestLogVariable.Tmicros,
        ["pid"] = RequestLogVariable.Pid,
        ["wid"] = RequestLogVariable.WorkerId,
        ["switches"] = RequestLogVariable.Switches,
        ["core"] = RequestLogVariable.Core,
        ["vars"] = RequestLogVariable.Vars,
        ["pktsize"] = RequestLogVariable.PacketSize,
        ["modifier1"] = RequestLogVariable.Modifier,
        ["modifier2"] = RequestLogVariable.Modifier,
        ["rerr"] = RequestLogVariable.Zero,
        ["werr"] = RequestLogVariable.Zero,
        ["ioerr"] = RequestLogVariable.Zero,
    };

    private RequestLogFormat(IReadOnlyList<RequestLogSegment> segments) => Segments = segments;

    /// <summary>The pieces of a line, in order; the writer ends the line with a newline.</summary>
    public IReadOnlyList<RequestLogSegment> Segments { get; }

    /// <summary>Parses <paramref name="format"/>.</summary>
    public static RequestLogFormat Parse(string format)
    {
        var segments = new List<RequestLogSegment>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < format.Length)
        {
            int close;
            if (format[i] == '%' && i + 1 < format.Length && format[i + 1] == '(' && (close = format.IndexOf(')', i + 2)) > i + 2)
            {
                AddLiteral(segments, literal);
                segments.Add(Variable(format[(i + 2)..close]));
                i = close + 1;
                continue;
            }

            literal.Append(format[i]);
            i++;
        }

        AddLiteral(segments, literal);
        return new RequestLogFormat(segments);
    }

    private static RequestLogSegment Variable(string name)
    {
        if (name.StartsWith("var.", StringComparison.Ordinal))
        {
            return new RequestLogSegment(null, RequestLogVariable.RequestVariable, name[4..]);
        }

        return new RequestLogSegment(null, s_names.GetValueOrDefault(name, RequestLogVariable.Unset), null);
    }

    private static void AddLiteral(List<RequestLogSegment> segments, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            segments.Add(new RequestLogSegment(Encoding.UTF8.GetBytes(literal.ToString()), RequestLogVariable.Unset, null));
            literal.Clear();
        }
    }
}

/// <summary>One piece of a <see cref="RequestLogFormat"/>: literal bytes, or a variable (and the CGI name of a <c>var.</c> one).</summary>
internal sealed record RequestLogSegment(byte[]? Literal, RequestLogVariable Variable, string? VariableName);
