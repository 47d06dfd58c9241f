using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Http;

public sealed class ListeningSocketTests
{
    [Fact]
    public void Port_zero_binds_an_ephemeral_port()
    {
        using var socket = ListeningSocket.BindTcp("127.0.0.1:0", 16);
        Assert.Equal("127.0.0.1", socket.Address);
        Assert.InRange(socket.Port, 1, 65535);
    }

    [Fact]
    public void Empty_host_binds_every_IPv4_address()
    {
        using var socket = ListeningSocket.BindTcp(":0", 16);
        Assert.Equal("0.0.0.0", socket.Address);
    }

    [Fact]
    public void A_port_in_use_fails_naming_the_address()
    {
        using var first = ListeningSocket.BindTcp("127.0.0.1:0", 16);
        var error = Assert.Throws<PosixException>(() => ListeningSocket.BindTcp($"127.0.0.1:{first.Port}", 16));
        Assert.Equal(98, error.Errno);
        Assert.Contains($"127.0.0.1:{first.Port}", error.Message);
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("example.com:80")]
    [InlineData("::1:80")]
    [InlineData("127.0.0.1:99999")]
    public void Malformed_specs_are_rejected(string spec)
        => Assert.Throws<FormatException>(() => ListeningSocket.BindTcp(spec, 16));

    [Fact]
    public void An_inherited_listening_fd_is_adopted_with_its_address()
    {
        using var original = ListeningSocket.BindTcp("127.0.0.1:0", 16);
        var adopted = ListeningSocket.FromFd(original.Fd);
        Assert.Equal(original.Port, adopted.Port);
        Assert.Equal("127.0.0.1", adopted.Address);
    }

    [Fact]
    public void A_socket_that_is_not_listening_is_not_adopted()
    {
        int fd = PosixException.ThrowIfFailed(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket");
        try
        {
            var error = Assert.Throws<PosixException>(() => ListeningSocket.FromFd(fd));
            Assert.Contains("not listening", error.Message);
        }
        finally
        {
            close(fd);
        }
    }

    [Fact]
    public void IPv6_loopback_is_bound_and_reported_without_brackets()
    {
        using var socket = ListeningSocket.BindTcp("[::1]:0", 16);
        Assert.Equal("::1", socket.Address);
        Assert.Equal($"[::1]:{socket.Port}", socket.Endpoint);
    }
}
