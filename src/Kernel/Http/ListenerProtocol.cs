namespace ForkServer.Kernel.Http;

/// <summary>What the clients of a listening socket speak.</summary>
internal enum ListenerProtocol
{
    /// <summary>HTTP/1.x (<c>http-socket</c>).</summary>
    Http,

    /// <summary>
    /// uWSGI's binary protocol (<c>socket</c>, <c>uwsgi-socket</c>), as nginx's <c>uwsgi_pass</c> speaks it: one
    /// request per connection, a packet of CGI variables then the body; the answer is a raw HTTP response.
    /// </summary>
    Uwsgi,
}
