using System.Diagnostics.CodeAnalysis;

namespace ForkServer.Kernel.Http.Internal;

/// <summary>The absolute form of a request-target (<c>http://host:port/path?query</c>, RFC 9112 §3.2.2), as proxies send it.</summary>
internal static class AbsoluteForm
{
    /// <summary>Splits an absolute-form target into its authority and the origin form (path and query) it names.</summary>
    /// <param name="target">The request-target as sent.</param>
    /// <param name="authority">The host (and port) of the target.</param>
    /// <param name="originForm">The path and query; <c>/</c> when the path is empty.</param>
    /// <returns>False when <paramref name="target"/> is not absolute-form (an origin-form target starts with <c>/</c>).</returns>
    /// <exception cref="HttpProtocolException">An absolute-form target without a host, or with user information.</exception>
    public static bool TrySplit(string target, [NotNullWhen(true)] out string? authority, [NotNullWhen(true)] out string? originForm)
    {
        authority = originForm = null;
        int schemeEnd = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7
            : target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : -1;
        if (schemeEnd < 0)
        {
            return false;
        }

        int authorityEnd = target.AsSpan(schemeEnd).IndexOfAny('/', '?');
        authorityEnd = authorityEnd < 0 ? target.Length : schemeEnd + authorityEnd;
        authority = target[schemeEnd..authorityEnd];

        // userinfo@ is deprecated (RFC 9110 §4.2.4) and would make the host ambiguous to whoever reads it next.
        if (authority.Length == 0 || authority.Contains('@'))
        {
            throw new HttpProtocolException(400, "malformed absolute-form request target");
        }

        originForm = authorityEnd == target.Length || target[authorityEnd] == '?'
            ? "/" + target[authorityEnd..]
            : target[authorityEnd..];
        return true;
    }
}
