using ForkServer.Abstractions;
using Microsoft.Extensions.Logging;
using static ForkServer.Plugins.Psgi.Internal.LibPerl;

namespace ForkServer.Plugins.Psgi.Internal;

/// <content>Running one request through the glue.</content>
internal sealed unsafe partial class PerlInterpreter
{
    private static readonly KeyValuePair<string, string>[] s_internalErrorHeaders =
    [
        new("Content-Type", "text/plain"),
        new("Content-Length", "21"),
    ];

    /// <summary>Runs application <paramref name="appId"/> on one request and sends its response.</summary>
    /// <param name="appId">What <see cref="LoadApplication"/> returned.</param>
    /// <param name="environment">The encoded CGI part of the PSGI env.</param>
    /// <param name="body">The whole request body when it is in memory.</param>
    /// <param name="bodyFile">The descriptor of the file holding the whole body instead, or -1.</param>
    /// <param name="response">Where the response goes.</param>
    /// <param name="logger">Receives <c>psgi.errors</c>, warnings and application errors.</param>
    public void Serve(int appId, PsgiEnvironment environment, ReadOnlySpan<byte> body, int bodyFile, IResponse response, ILogger logger)
    {
        using Lock.Scope scope = Enter();
        using PerlOutput.Binding binding = Output.Bind(logger, response);
        SetInteger(Variables.AppId, appId);
        SetInteger(Variables.RequestEnvPacked, environment.IsPacked ? 1 : 0);
        SetBytes(Variables.RequestEnv, environment.Encoded);
        SetBytes(Variables.RequestBody, body);
        SetInteger(Variables.RequestBodyFile, bodyFile);
        try
        {
            Run(response, logger);
        }
        finally
        {
            // A large body would otherwise stay allocated in the interpreter until the next request.
            SetBytes(Variables.RequestBody, default);
            SetInteger(Variables.RequestBodyFile, -1);
        }
    }

    /// <summary>Tells the glue to stop producing output (the client went away or the response failed).</summary>
    internal void SignalAbort() => Perl_sv_setiv(_perl, Variables.Abort, 1);

    private void Run(IResponse response, ILogger logger)
    {
        string? glueError = CallGlue(s_handle);
        if (glueError is not null)
        {
            // The glue traps the application's errors itself; reaching here means the glue broke.
            Log.GlueFailed(logger, glueError.TrimEnd());
            FinishFailed(response);
            return;
        }

        switch (ReadInteger(Variables.ResponseMode))
        {
            case 0:
                SendBuffered(response);
                break;
            case 1 when Output.HeadSent && !Output.Failed:
                response.Complete();
                break;
            default:
                FinishFailed(response);
                break;
        }
    }

    private void SendBuffered(IResponse response)
    {
        int status = checked((int)ReadInteger(Variables.ResponseStatus));
        List<KeyValuePair<string, string>> headers = PackedHeaders.Decode(ReadBytes(Variables.ResponseHeaders));
        ReadOnlySpan<byte> body = ReadBytes(Variables.ResponseBody);
        if (PackedHeaders.AllowsContentLength(status) && !PackedHeaders.Contains(headers, "Content-Length"))
        {
            // The whole body is known: spare the kernel chunked framing (as Starman does for array bodies).
            headers.Add(new("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        response.Start(status, headers);
        if (!body.IsEmpty)
        {
            response.Write(body);
        }

        response.Complete();
    }

    private void FinishFailed(IResponse response)
    {
        if (Output.HeadSent)
        {
            response.Abort();
            return;
        }

        response.Start(500, s_internalErrorHeaders);
        response.Write("Internal Server Error"u8);
        response.Complete();
    }
}
