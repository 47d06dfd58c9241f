using System.Buffers;
using System.Text;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>
/// The byte classes of HTTP/1.1 syntax and the strings seen in nearly every request, shared so that parsing a
/// typical request allocates only for the values that really vary.
/// </summary>
internal static class HttpTokens
{
    public const string Head = "HEAD";
    public const string Http10 = "HTTP/1.0";
    public const string Http11 = "HTTP/1.1";

    /// <summary>tchar of RFC 9110 §5.6.2.</summary>
    public static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Control bytes other than HTAB: never valid in a field value (obs-text, 0x80 and up, is).</summary>
    public static readonly SearchValues<byte> InvalidValueBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    /// <summary><see cref="TokenBytes"/> as chars, for the header names a handler gives.</summary>
    public static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary><see cref="InvalidValueBytes"/> as chars, for the header values a handler gives.</summary>
    public static readonly SearchValues<char> InvalidValueChars = SearchValues.Create(
        "\0\x01\x02\x03\x04\x05\x06\x07\x08\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f");

    private static readonly string[] s_methods = ["GET", "POST", Head, "PUT", "DELETE", "OPTIONS", "PATCH"];

    private static readonly string[] s_headerNames =
    [
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Content-Length",
        "Content-Type", "Cookie", "Referer", "Cache-Control", "Upgrade-Insecure-Requests", "Origin", "Authorization",
        "If-None-Match", "If-Modified-Since", "Expect", "Transfer-Encoding", "X-Forwarded-For",
    ];

    /// <summary>The method as a string, shared for the common ones.</summary>
    public static string Method(ReadOnlySpan<byte> bytes) => Intern(bytes, s_methods);

    /// <summary>The field name as sent, shared for the common spellings.</summary>
    public static string HeaderName(ReadOnlySpan<byte> bytes) => Intern(bytes, s_headerNames);

    private static string Intern(ReadOnlySpan<byte> bytes, string[] known)
    {
        foreach (string candidate in known)
        {
            if (candidate.Length == bytes.Length && Ascii.Equals(bytes, candidate))
            {
                return candidate;
            }
        }

        return Encoding.Latin1.GetString(bytes);
    }
}
