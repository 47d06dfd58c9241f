namespace ForkServer.Kernel.Http.RequestLog;

/// <summary>The <c>%(name)</c> variables of a <c>log-format</c>, with uWSGI's names and meanings.</summary>
internal enum RequestLogVariable
{
    /// <summary>A name uWSGI would read as an application-set logvar: none is ever set here, so "-".</summary>
    Unset,
    Method,
    Uri,
    Protocol,
    User,
    Address,
    Host,
    UserAgent,
    Referer,
    Status,
    Size,
    ResponseBodySize,
    HeadersSize,
    HeaderCount,
    ContentLength,
    Msecs,
    Micros,
    Secs,
    Time,
    Ctime,
    Ltime,
    Ftime,
    Epoch,
    Tmsecs,
    Tmicros,
    Pid,
    WorkerId,
    Switches,
    Core,
    Vars,
    PacketSize,
    Modifier,
    Zero,

    /// <summary><c>%(var.NAME)</c>: a CGI variable of the request (<c>HTTP_*</c> headers and the usual few).</summary>
    RequestVariable,
}
