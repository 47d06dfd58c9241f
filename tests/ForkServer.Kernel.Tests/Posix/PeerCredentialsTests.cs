using System.Diagnostics;
using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>SO_PEERCRED names the process at the other end: this one, or a separate client process.</summary>
public sealed class PeerCredentialsTests
{
    [Fact]
    public void An_accepted_connection_from_this_process_names_this_process()
    {
        using var listener = UnixListeningSocket.Bind($"@forkserver-peercred-{Guid.NewGuid():N}", 4);
        int client = UnixSocketAddress.Connect(listener.Path);
        try
        {
            int accepted = Accept(listener);
            try
            {
                Assert.Equal(ThisProcess(), PeerCredentials.Of(accepted));
            }
            finally
            {
                Close(accepted);
            }
        }
        finally
        {
            Close(client);
        }
    }

    [Fact]
    public async Task A_connection_from_another_process_names_that_process()
    {
        using var listener = UnixListeningSocket.Bind($"@forkserver-peercred-{Guid.NewGuid():N}", 4);

        // The client connects, says it is connected, and waits for stdin to close before exiting.
        var start = new ProcessStartInfo("/usr/bin/perl")
        {
            ArgumentList =
            {
                "-MIO::Socket::UNIX", "-e",
                "my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => \"\\0\" . substr($ARGV[0], 1)) or die $!; $| = 1; print \"connected\\n\"; <STDIN>;",
                listener.Path,
            },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var client = Process.Start(start)!;
        try
        {
            var line = await client.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("connected", line);
            int accepted = Accept(listener);
            try
            {
                Assert.Equal(client.Id, PeerCredentials.Of(accepted).Pid);
            }
            finally
            {
                Close(accepted);
            }
        }
        finally
        {
            client.StandardInput.Close();
            Assert.True(client.WaitForExit(TimeSpan.FromSeconds(10)));
        }
    }

    private static unsafe PeerCredentials ThisProcess() => new(Environment.ProcessId, getuid(), getgid());

    private static unsafe int Accept(UnixListeningSocket listener)
    {
        Assert.Equal(AcceptOutcome.Accepted, SocketAccept.Next(listener.Fd, null, out int accepted, out _));
        return accepted;
    }

    private static unsafe void Close(int fd) => Assert.Equal(0, close(fd));
}
