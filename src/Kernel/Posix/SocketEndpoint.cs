using System.Net;
using System.Net.Sockets;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// An IP address and port in the form the socket calls need. Only IP literals are accepted: resolving names
/// would make binding depend on DNS, and a process that forks must not start resolver threads.
/// </summary>
internal readonly record struct SocketEndpoint(IPAddress Address, int Port)
{
    /// <summary>Parses <c>127.0.0.1:8080</c>, <c>:8080</c> (any IPv4 address), <c>[::1]:80</c> or <c>localhost:80</c>.</summary>
    public static SocketEndpoint Parse(string spec)
    {
        int colon = spec.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(spec.AsSpan(colon + 1), System.Globalization.NumberStyles.None, null, out int port)
            || port > ushort.MaxValue)
        {
            throw new FormatException($"'{spec}' is not an address of the form host:port");
        }

        ReadOnlySpan<char> host = spec.AsSpan(0, colon);
        IPAddress? address;
        if (host.IsEmpty || host is "*")
        {
            address = IPAddress.Any;
        }
        else if (host is "localhost")
        {
            address = IPAddress.Loopback;
        }
        else if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            address = IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        else
        {
            address = IPAddress.TryParse(host, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork ? v4 : null;
        }

        return address is null
            ? throw new FormatException($"'{spec}' does not start with an IP address (IPv6 goes in brackets)")
            : new SocketEndpoint(address, port);
    }

    /// <summary>The address family for <c>socket()</c>.</summary>
    public int Family => Address.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;

    /// <summary>Decodes a socket address returned by <c>accept4</c>, <c>getsockname</c> or <c>getpeername</c>.</summary>
    public static unsafe SocketEndpoint Read(sockaddr_storage* storage)
    {
        var family = ((sockaddr*)storage)->sa_family;
        if (family == AF_INET)
        {
            var v4 = (sockaddr_in*)storage;
            return new SocketEndpoint(new IPAddress(new ReadOnlySpan<byte>(v4->sin_addr.s_addr, 4)), ntohs(v4->sin_port));
        }

        if (family == AF_INET6)
        {
            var v6 = (sockaddr_in6*)storage;
            return new SocketEndpoint(new IPAddress(new ReadOnlySpan<byte>(v6->sin6_addr.s6_addr, 16), v6->sin6_scope_id), ntohs(v6->sin6_port));
        }

        // A Unix-domain peer has no IP address; callers still need something printable.
        return new SocketEndpoint(IPAddress.None, 0);
    }

    /// <summary>Encodes this endpoint for <c>bind()</c>.</summary>
    /// <returns>The length of the written address.</returns>
    public unsafe socklen_t Write(sockaddr_storage* storage)
    {
        *storage = default;
        if (Family == AF_INET)
        {
            var v4 = (sockaddr_in*)storage;
            v4->sin_family = (ushort)AF_INET;
            v4->sin_port = htons((ushort)Port);
            Address.TryWriteBytes(new Span<byte>(v4->sin_addr.s_addr, 4), out _);
            return (socklen_t)sizeof(sockaddr_in);
        }

        var v6 = (sockaddr_in6*)storage;
        v6->sin6_family = (ushort)AF_INET6;
        v6->sin6_port = htons((ushort)Port);
        v6->sin6_scope_id = (uint)Address.ScopeId;
        Address.TryWriteBytes(new Span<byte>(v6->sin6_addr.s6_addr, 16), out _);
        return (socklen_t)sizeof(sockaddr_in6);
    }

    /// <summary>The address as people write it in a listen spec (<c>[::1]:80</c>).</summary>
    public override string ToString()
        => Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
