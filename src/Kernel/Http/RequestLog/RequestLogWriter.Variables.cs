using System.Globalization;
using ForkServer.Kernel.Http.Internal;

namespace ForkServer.Kernel.Http.RequestLog;

/// <summary>The values of <c>log-format</c>'s variables; an empty one is printed as "-" by the caller.</summary>
internal sealed partial class RequestLogWriter
{
    private void AppendVariable(RequestLogSegment segment, in RequestFacts facts)
    {
        var request = facts.Request;
        var response = facts.Response;
        long startSeconds = facts.StartUnixMicros / 1_000_000;
        switch (segment.Variable)
        {
            case RequestLogVariable.Method: Append(request.Method); break;
            case RequestLogVariable.Uri: Append(request.RawTarget); break;
            case RequestLogVariable.Protocol: Append(request.Protocol); break;
            case RequestLogVariable.Address: Append(facts.Address); break;
            case RequestLogVariable.Host: Append(Header(request, "Host")); break;
            case RequestLogVariable.UserAgent: Append(Header(request, "User-Agent")); break;
            case RequestLogVariable.Referer: Append(Header(request, "Referer")); break;
            case RequestLogVariable.Status: Append(response.Status); break;
            case RequestLogVariable.Size: Append(response.HeadBytes + response.BodyBytes); break;
            case RequestLogVariable.ResponseBodySize: Append(response.BodyBytes); break;
            case RequestLogVariable.HeadersSize: Append(response.HeadBytes); break;
            case RequestLogVariable.HeaderCount: Append(response.HeaderCount); break;
            case RequestLogVariable.ContentLength: Append(request.BodyLength); break;
            case RequestLogVariable.Msecs: Append(facts.ElapsedMicros / 1000); break;
            case RequestLogVariable.Micros: Append(facts.ElapsedMicros); break;
            case RequestLogVariable.Secs: Append((facts.ElapsedMicros / 1_000_000.0).ToString("F6", CultureInfo.InvariantCulture)); break;
            case RequestLogVariable.Time: Append(startSeconds); break;
            case RequestLogVariable.Ctime: Append(_ctime.Format(startSeconds)); break;
            case RequestLogVariable.Ltime: Append(_ltime.Format(startSeconds)); break;
            case RequestLogVariable.Ftime: Append((_ftime ?? _ltime).Format(startSeconds)); break;
            case RequestLogVariable.Epoch: Append(DateTimeOffset.UtcNow.ToUnixTimeSeconds()); break;
            case RequestLogVariable.Tmsecs: Append(facts.StartUnixMicros / 1000); break;
            case RequestLogVariable.Tmicros: Append(facts.StartUnixMicros); break;
            case RequestLogVariable.Pid: Append(pid); break;
            case RequestLogVariable.WorkerId: Append(workerId); break;
            case RequestLogVariable.Switches: Append(1); break;
            case RequestLogVariable.Core or RequestLogVariable.Modifier or RequestLogVariable.Zero: Append(0); break;
            case RequestLogVariable.Vars: Append(CgiVariables + request.Headers.Count); break;
            case RequestLogVariable.PacketSize: Append(request.HeadLength); break;
            case RequestLogVariable.RequestVariable: Append(CgiVariable(request, segment.VariableName!)); break;
        }
    }

    /// <summary>A CGI variable of the request as a uwsgi packet would carry it: <c>HTTP_X_REQUEST_ID</c> is the X-Request-Id header.</summary>
    private static string? CgiVariable(HttpRequest request, string name) => name switch
    {
        "REQUEST_METHOD" => request.Method,
        "REQUEST_URI" => request.RawTarget,
        "PATH_INFO" => request.RawPath,
        "QUERY_STRING" => request.QueryString,
        "SERVER_PROTOCOL" => request.Protocol,
        "REMOTE_ADDR" => request.RemoteAddress,
        "REMOTE_PORT" => request.RemotePort.ToString(CultureInfo.InvariantCulture),
        "SERVER_PORT" => request.ServerPort.ToString(CultureInfo.InvariantCulture),
        "CONTENT_TYPE" => Header(request, "Content-Type"),
        "CONTENT_LENGTH" => Header(request, "Content-Length"),
        _ when name.StartsWith("HTTP_", StringComparison.Ordinal) => Header(request, name[5..].Replace('_', '-')),
        _ => null,
    };
}
