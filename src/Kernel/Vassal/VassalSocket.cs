using ForkServer.Abstractions;
using ForkServer.Kernel.Http;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Where a vassal listens and what its clients speak: <c>http-socket</c> (HTTP) or <c>socket</c> /
/// <c>uwsgi-socket</c> (uWSGI's protocol, for nginx's <c>uwsgi_pass</c>), on <c>host:port</c>, <c>:port</c>, a
/// Unix-domain path or <c>@name</c>; and <c>chmod-socket</c>, the mode of a socket file.
/// </summary>
/// <param name="Option">The option that named it, for messages.</param>
/// <param name="Address">The address as written.</param>
/// <param name="Protocol">What its clients speak.</param>
/// <param name="Mode">The socket file's mode (<c>chmod-socket</c>); null leaves what bind gave it (0777 less the umask), as uWSGI does.</param>
internal sealed record VassalSocket(string Option, string Address, ListenerProtocol Protocol, UnixFileMode? Mode)
{
    /// <summary>A Unix-domain path (or abstract name) rather than <c>host:port</c>.</summary>
    public bool IsUnix => ListeningSocket.IsUnixSpec(Address);

    /// <summary>Reads the vassal's socket; a missing, doubled or malformed one throws <see cref="StartupException"/> naming where it was set.</summary>
    public static VassalSocket From(IOptionValues options)
    {
        string? http = options.GetValue("http-socket");
        string? uwsgi = options.GetValue("socket");
        if (http is not null && uwsgi is not null)
        {
            throw new StartupException(
                $"{options.DescribeSource("http-socket")} and {options.DescribeSource("socket")}: a vassal listens on one socket; "
                + "keep http-socket (HTTP) or socket (uwsgi protocol, for nginx's uwsgi_pass)");
        }

        if (http is null && uwsgi is null)
        {
            throw new StartupException(
                "no http-socket: set http-socket = host:port (for example 127.0.0.1:8080), or socket = host:port or a unix path for nginx's uwsgi_pass");
        }

        var (option, address, protocol) = http is not null
            ? ("http-socket", http, ListenerProtocol.Http)
            : ("socket", uwsgi!, ListenerProtocol.Uwsgi);
        return new VassalSocket(option, address, protocol, ReadMode(options));
    }

    /// <summary><c>chmod-socket = 660</c> (octal); a bare <c>chmod-socket</c> means 666, as in uWSGI.</summary>
    private static UnixFileMode? ReadMode(IOptionValues options)
    {
        if (options.GetValue("chmod-socket") is not { } text)
        {
            return null;
        }

        if (text.Length == 0)
        {
            return (UnixFileMode)Convert.ToInt32("666", 8);
        }

        return text.Length <= 4 && text.All(c => c is >= '0' and <= '7')
            ? (UnixFileMode)Convert.ToInt32(text, 8)
            : throw new StartupException($"{options.DescribeSource("chmod-socket")}: chmod-socket must be an octal mode such as 660, got '{text}'");
    }
}
