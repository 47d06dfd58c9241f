using ForkServer.Kernel.Posix;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>Fds and payload cross a socketpair and a real connect/accept intact, in order, close-on-exec.</summary>
public sealed unsafe class FdPassingTests
{
    private const int PayloadLength = 60;

    public static TheoryData<int, bool> Transfers => new() { { 1, false }, { 2, false }, { 3, false }, { 1, true }, { 2, true }, { 3, true } };

    [Theory]
    [MemberData(nameof(Transfers))]
    public void Payload_and_fds_arrive_as_sent(int fdCount, bool overListener)
    {
        using var connection = overListener ? ConnectedPair.OverListener() : ConnectedPair.OverSocketPair();
        var pipes = Enumerable.Range(0, fdCount).Select(_ => Pipe.Create()).ToArray();
        var received = new List<int>();
        try
        {
            byte[] payload = Payload();
            FdPassing.Send(connection.Sender, payload, pipes.Select(p => p.WriteEnd).ToArray(), Deadline());

            var buffer = new byte[PayloadLength];
            FdPassing.ReceiveExactly(connection.Receiver, buffer, received, Deadline());

            Assert.Equal(payload, buffer);
            Assert.Equal(fdCount, received.Count);
            for (int i = 0; i < fdCount; i++)
            {
                Assert.Equal(FD_CLOEXEC, fcntl(received[i], F_GETFD) & FD_CLOEXEC);

                // A byte written through the received fd comes out of the i-th pipe: same pipe, same order.
                byte marker = (byte)(0x40 + i);
                Assert.Equal(1, (int)write(received[i], &marker, 1));
                Assert.Equal(marker, pipes[i].ReadOne());
            }
        }
        finally
        {
            CloseAll(received);
            Array.ForEach(pipes, p => p.Dispose());
        }
    }

    [Fact]
    public void A_payload_written_in_pieces_is_reassembled()
    {
        using var connection = ConnectedPair.OverSocketPair();
        using var pipe = Pipe.Create();
        var received = new List<int>();
        try
        {
            byte[] payload = Payload();
            FdPassing.Send(connection.Sender, payload.AsSpan(0, 1), [pipe.WriteEnd], Deadline());
            FdPassing.Send(connection.Sender, payload.AsSpan(1, 20), [], Deadline());
            FdPassing.Send(connection.Sender, payload.AsSpan(21), [], Deadline());

            var buffer = new byte[PayloadLength];
            FdPassing.ReceiveExactly(connection.Receiver, buffer, received, Deadline());

            Assert.Equal(payload, buffer);
            Assert.Single(received);
        }
        finally
        {
            CloseAll(received);
        }
    }

    [Fact]
    public void Sending_waits_while_the_peer_is_not_reading_and_times_out()
    {
        using var connection = ConnectedPair.OverSocketPair();
        var chunk = new byte[64 * 1024];
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The socket buffers fill; then the sender must stop at its deadline, not block for ever.
        void SendUntilRefused()
        {
            while (true)
            {
                FdPassing.Send(connection.Sender, chunk, [], Environment.TickCount64 + 200);
            }
        }

        Assert.Throws<TimeoutException>(SendUntilRefused);
        Assert.InRange(clock.ElapsedMilliseconds, 150, 5_000);
    }

    internal static long Deadline() => Environment.TickCount64 + 5_000;

    internal static byte[] Payload() => Enumerable.Range(0, PayloadLength).Select(i => (byte)(i * 7 + 1)).ToArray();

    internal static void CloseAll(List<int> fds) => fds.ForEach(fd => close(fd));

    /// <summary>A close-on-exec pipe whose ends are closed on dispose.</summary>
    internal sealed class Pipe : IDisposable
    {
        private Pipe(int readEnd, int writeEnd)
        {
            ReadEnd = readEnd;
            WriteEnd = writeEnd;
        }

        public int ReadEnd { get; private set; }

        public int WriteEnd { get; private set; }

        public static Pipe Create()
        {
            int* ends = stackalloc int[2];
            Assert.Equal(0, pipe2(ends, O_CLOEXEC | O_NONBLOCK));
            return new Pipe(ends[0], ends[1]);
        }

        public byte ReadOne()
        {
            byte value;
            Assert.Equal(1, (int)read(ReadEnd, &value, 1));
            return value;
        }

        /// <summary>Whether every write end, in this process and any other holder, is closed (read gives EOF).</summary>
        public bool AllWriteEndsClosed()
        {
            byte value;
            return read(ReadEnd, &value, 1) == 0;
        }

        public void CloseWriteEnd()
        {
            close(WriteEnd);
            WriteEnd = -1;
        }

        public void Dispose()
        {
            close(ReadEnd);
            if (WriteEnd >= 0)
            {
                close(WriteEnd);
            }
        }
    }

    /// <summary>Two connected stream sockets: a socketpair, or a client connected to a listener and the accepted end.</summary>
    internal sealed class ConnectedPair : IDisposable
    {
        private readonly UnixListeningSocket? _listener;

        private ConnectedPair(int sender, int receiver, UnixListeningSocket? listener)
        {
            Sender = sender;
            Receiver = receiver;
            _listener = listener;
        }

        public int Sender { get; private set; }

        public int Receiver { get; }

        public static ConnectedPair OverSocketPair()
        {
            int* ends = stackalloc int[2];
            Assert.Equal(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends));
            return new ConnectedPair(ends[0], ends[1], null);
        }

        public static ConnectedPair OverListener()
        {
            var listener = UnixListeningSocket.Bind($"@forkserver-fdpass-{Guid.NewGuid():N}", 4);
            int client = UnixSocketAddress.Connect(listener.Path);

            // connect on a unix socket completes once queued, so the accept cannot find the queue empty.
            Assert.Equal(AcceptOutcome.Accepted, SocketAccept.Next(listener.Fd, null, out int accepted, out _));
            return new ConnectedPair(client, accepted, listener);
        }

        /// <summary>Closes the sending end, so the receiver sees end of stream.</summary>
        public void CloseSender()
        {
            close(Sender);
            Sender = -1;
        }

        public void Dispose()
        {
            if (Sender >= 0)
            {
                close(Sender);
            }

            close(Receiver);
            _listener?.Dispose();
        }
    }
}
