namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// The glue's package scalars, looked up once. A scalar's address is stable for the interpreter's lifetime,
/// so per-request code only calls <c>sv_setpvn</c>/<c>sv_2pv</c> on them.
/// </summary>
internal sealed class GlueVariables
{
    public GlueVariables(Func<string, nint> lookUp)
    {
        AppPath = lookUp("ForkServer::Psgi::app_path");
        AppId = lookUp("ForkServer::Psgi::app_id");
        LoadedId = lookUp("ForkServer::Psgi::loaded_id");
        Error = lookUp("ForkServer::Psgi::error");
        RequestEnv = lookUp("ForkServer::Psgi::req_env");
        RequestEnvPacked = lookUp("ForkServer::Psgi::req_env_packed");
        RequestBody = lookUp("ForkServer::Psgi::req_body");
        RequestBodyFile = lookUp("ForkServer::Psgi::req_body_fd");
        ResponseMode = lookUp("ForkServer::Psgi::res_mode");
        ResponseStatus = lookUp("ForkServer::Psgi::res_status");
        ResponseHeaders = lookUp("ForkServer::Psgi::res_headers");
        ResponseBody = lookUp("ForkServer::Psgi::res_body");
        Abort = lookUp("ForkServer::Psgi::abort");
        OutHead = lookUp("ForkServer::Psgi::out_head");
        OutChunk = lookUp("ForkServer::Psgi::out_chunk");
        OutLog = lookUp("ForkServer::Psgi::out_log");
        OutSignals = lookUp("ForkServer::Psgi::out_signals");
        OutExit = lookUp("ForkServer::Psgi::out_exit");
        EvalError = lookUp("@");
    }

    public nint AppPath { get; }
    public nint AppId { get; }
    public nint LoadedId { get; }
    public nint Error { get; }
    public nint RequestEnv { get; }
    public nint RequestEnvPacked { get; }
    public nint RequestBody { get; }
    public nint RequestBodyFile { get; }
    public nint ResponseMode { get; }
    public nint ResponseStatus { get; }
    public nint ResponseHeaders { get; }
    public nint ResponseBody { get; }
    public nint Abort { get; }
    public nint OutHead { get; }
    public nint OutChunk { get; }
    public nint OutLog { get; }
    public nint OutSignals { get; }
    public nint OutExit { get; }
    public nint EvalError { get; }
}
