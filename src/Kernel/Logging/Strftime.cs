using System.Globalization;
using System.Text;

namespace ForkServer.Kernel.Logging;

/// <summary>
/// C's strftime conversions, for the formats uWSGI's <c>log-date</c> takes (<c>%Y-%m-%d %H:%M:%S</c> and the like),
/// in the invariant culture. An unknown conversion is written as is.
/// </summary>
internal static class Strftime
{
    private static readonly string[] s_days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Formats <paramref name="time"/> (local time with its offset) as <paramref name="format"/> says.</summary>
    public static string Format(string format, DateTimeOffset time)
    {
        var text = new StringBuilder(format.Length + 16);
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            char conversion = format[++i];
            switch (conversion)
            {
                case 'Y': Number(text, time.Year, 4); break;
                case 'y': Number(text, time.Year % 100, 2); break;
                case 'm': Number(text, time.Month, 2); break;
                case 'd': Number(text, time.Day, 2); break;
                case 'e': text.Append(time.Day < 10 ? " " : string.Empty).Append(time.Day.ToString(CultureInfo.InvariantCulture)); break;
                case 'H': Number(text, time.Hour, 2); break;
                case 'I': Number(text, time.Hour % 12 == 0 ? 12 : time.Hour % 12, 2); break;
                case 'M': Number(text, time.Minute, 2); break;
                case 'S': Number(text, time.Second, 2); break;
                case 'j': Number(text, time.DayOfYear, 3); break;
                case 'p': text.Append(time.Hour < 12 ? "AM" : "PM"); break;
                case 'a': text.Append(s_days[(int)time.DayOfWeek]); break;
                case 'A': text.Append(time.DayOfWeek.ToString()); break;
                case 'b' or 'h': text.Append(s_months[time.Month - 1]); break;
                case 'B': text.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(time.Month)); break;
                case 's': text.Append(time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)); break;
                case 'z': Offset(text, time.Offset); break;
                case 'F': text.Append(Format("%Y-%m-%d", time)); break;
                case 'T': text.Append(Format("%H:%M:%S", time)); break;
                case 'D': text.Append(Format("%m/%d/%y", time)); break;
                case 'c': text.Append(Format("%a %b %e %H:%M:%S %Y", time)); break;
                case '%': text.Append('%'); break;
                default: text.Append('%').Append(conversion); break;
            }
        }

        return text.ToString();
    }

    private static void Number(StringBuilder text, int value, int digits)
        => text.Append(value.ToString(digits == 4 ? "D4" : digits == 3 ? "D3" : "D2", CultureInfo.InvariantCulture));

    private static void Offset(StringBuilder text, TimeSpan offset)
    {
        text.Append(offset < TimeSpan.Zero ? '-' : '+');
        offset = offset.Duration();
        Number(text, offset.Hours, 2);
        Number(text, offset.Minutes, 2);
    }
}
