using System.Text;
using ForkServer.Kernel.Logging;

namespace ForkServer.Kernel.Http.RequestLog;

/// <summary>
/// One strftime rendering of local time, made once per second: a request log line's date costs a comparison,
/// not a time-zone conversion and a format.
/// </summary>
internal sealed class RequestLogClock(string strftimeFormat)
{
    private long _second = long.MinValue;
    private byte[] _text = [];

    /// <summary>uWSGI's request-line date: ctime(3) without its newline, <c>Sun Dec  6 03:00:00 2026</c>.</summary>
    public static RequestLogClock Ctime() => new("%a %b %e %H:%M:%S %Y");

    /// <summary>Apache's date, <c>06/Dec/2026:03:00:00 +0000</c> (<c>%(ltime)</c>).</summary>
    public static RequestLogClock Apache() => new("%d/%b/%Y:%H:%M:%S %z");

    /// <summary>The local time of <paramref name="unixSeconds"/>, formatted.</summary>
    public ReadOnlySpan<byte> Format(long unixSeconds)
    {
        if (unixSeconds != _second)
        {
            _text = Encoding.UTF8.GetBytes(Strftime.Format(strftimeFormat, DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToLocalTime()));
            _second = unixSeconds;
        }

        return _text;
    }
}
