using System.Runtime.Versioning;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>Binding unix listeners: file paths with their mode, abstract names, stale sockets, refusals, clean-up.</summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class UnixListeningSocketTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("forkserver-unix-").FullName;

    [Fact]
    public void A_file_socket_is_mode_0600_accepts_connections_and_is_removed_on_dispose()
    {
        string path = Path.Combine(_directory, "fork.sock");
        using (var listener = UnixListeningSocket.Bind(path, 4))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(FD_CLOEXEC, fcntl(listener.Fd, F_GETFD) & FD_CLOEXEC);
            Assert.Equal(O_NONBLOCK, fcntl(listener.Fd, F_GETFL) & O_NONBLOCK);
            AssertAcceptsAConnection(listener);
        }

        Assert.False(Path.Exists(path));
    }

    [Fact]
    public void An_explicit_mode_is_applied()
    {
        string path = Path.Combine(_directory, "group.sock");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
        using var listener = UnixListeningSocket.Bind(path, 4, mode);
        Assert.Equal(mode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void An_abstract_name_accepts_connections()
    {
        using var listener = UnixListeningSocket.Bind($"@forkserver-test-{Guid.NewGuid():N}", 4);
        AssertAcceptsAConnection(listener);
    }

    [Fact]
    public void A_stale_socket_file_is_replaced()
    {
        string path = Path.Combine(_directory, "stale.sock");
        var first = UnixListeningSocket.Bind(path, 4);

        // Closing the fd without disposing leaves the file behind, as a killed process would.
        Assert.Equal(0, close(first.Fd));
        Assert.True(Path.Exists(path));

        using var second = UnixListeningSocket.Bind(path, 4);
        AssertAcceptsAConnection(second);
    }

    [Fact]
    public void A_regular_file_at_the_path_is_refused_and_kept()
    {
        string path = Path.Combine(_directory, "data.txt");
        File.WriteAllText(path, "keep me");

        var error = Assert.Throws<PosixException>(() => UnixListeningSocket.Bind(path, 4));

        Assert.Equal(EADDRINUSE, error.Errno);
        Assert.Contains(path, error.Message);
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void A_path_longer_than_sun_path_is_refused()
    {
        string path = Path.Combine(_directory, new string('s', 120));
        var error = Assert.Throws<ArgumentException>(() => UnixListeningSocket.Bind(path, 4));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_non_blocking_connect_tells_nobody_listening_from_a_connection()
    {
        string path = Path.Combine(_directory, "later.sock");
        Assert.Equal(ConnectOutcome.NotListening, UnixSocketAddress.TryConnect(path, "a test", out int none, out _));
        Assert.Equal(-1, none);

        using var listener = UnixListeningSocket.Bind(path, 4);
        Assert.Equal(ConnectOutcome.Connected, UnixSocketAddress.TryConnect(path, "a test", out int client, out _));
        Assert.Equal(AcceptOutcome.Accepted, SocketAccept.Next(listener.Fd, out int accepted, out _, out _));

        // A Unix-domain connection has no Nagle and refuses TCP_NODELAY, which is ignored.
        SocketOptions.SetNoDelay(accepted);
        Descriptors.CloseAll([client, accepted]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertAcceptsAConnection(UnixListeningSocket listener)
    {
        int client = UnixSocketAddress.Connect(listener.Path);
        try
        {
            Assert.Equal(AcceptOutcome.Accepted, SocketAccept.Next(listener.Fd, null, out int accepted, out _));
            Assert.Equal(0, close(accepted));
        }
        finally
        {
            close(client);
        }
    }
}
