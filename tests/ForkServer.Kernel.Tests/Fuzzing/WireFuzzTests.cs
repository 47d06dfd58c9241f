using CsCheck;
using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Fuzzing;

/// <summary>
/// The uwsgi codecs and the fork-server request, fed mutants of valid packets: each one decodes to a value or is
/// refused with a <see cref="WireFormatException"/> that says what was wrong (and where, when it has an offset);
/// nothing else escapes, nothing hangs, and a refused request leaves no fd open.
/// </summary>
[Collection(DescriptorChurn.Name)]
public sealed unsafe class WireFuzzTests
{
    private static readonly Gen<string> Item = Gen.String[Gen.Char.Where(c => !char.IsSurrogate(c)), 0, 30];
    private static readonly Gen<string[]> Argv = Item.Array[1, 8];
    private static readonly Gen<byte> Mask = Gen.Byte[1, 7].Select(b => (byte)(b | 1));

    private static readonly Gen<byte[]> ValidRequest = Gen.Select(Argv, Mask, (argv, mask) => ForkServerRequest.Encode(argv, (ForkServerFdMask)mask));

    private static readonly Gen<byte[]> ValidDictionary = Gen.Select(Item.Where(k => k.Length > 0), Item)
        .Select((k, v) => new KeyValuePair<string, string>(k, v)).List[0, 8].Select(pairs => UwsgiDictionary.Encode(pairs));

    [Fact]
    public void Mutated_arrays_and_dictionaries_decode_or_are_refused_with_an_offset_inside_the_body()
        => Bounded.Run(nameof(Mutated_arrays_and_dictionaries_decode_or_are_refused_with_an_offset_inside_the_body), () =>
            Mutation.Of(Gen.OneOf(Argv.Select(a => UwsgiArray.Encode(a)), ValidDictionary)).Sample(
                bytes =>
                {
                    Decodes(bytes.Length, () => UwsgiArray.Decode(bytes));
                    Decodes(bytes.Length, () => UwsgiDictionary.Decode(bytes));
                },
                iter: 4000,
                threads: 1));

    [Fact]
    public void Mutated_fork_server_requests_decode_or_are_refused()
        => Bounded.Run(nameof(Mutated_fork_server_requests_decode_or_are_refused), () =>
            Mutation.Of(ValidRequest).Sample(
                packet =>
                {
                    if (!UwsgiPacketHeader.TryRead(packet, out var header))
                    {
                        return;
                    }

                    var body = packet.AsSpan(UwsgiPacketHeader.Length).ToArray();
                    var request = Decodes(body.Length, () => ForkServerRequest.Decode(header, body));
                    if (request is not null)
                    {
                        Assert.NotEmpty(request.Argv);
                        Assert.InRange(request.FdCount, 1, 3);
                    }

                    Decodes(body.Length, () => ForkServerReply.Decode(header, body));
                    Decodes(body.Length, () => ConfigBlob.Decode(header, body));
                },
                iter: 4000,
                threads: 1));

    /// <summary>
    /// What a spare (or spare worker) does with its channel, over a real socket pair: the mutant arrives with 0 to 3
    /// fds attached, the writer closes, and the reader either returns a request whose fds match its mask or throws
    /// one of its documented exceptions, having closed every fd it received (each passed socket's peer then sees EOF).
    /// </summary>
    [Fact]
    public void Mutated_requests_on_a_socket_are_refused_without_keeping_the_fds_that_came_with_them()
        => Bounded.Run(nameof(Mutated_requests_on_a_socket_are_refused_without_keeping_the_fds_that_came_with_them), () =>
            Gen.Select(Mutation.Of(ValidRequest), Gen.Int[0, 3]).Sample((packet, fds) => ReadOnce(packet, fds, ReceiveBlocking), iter: 1500, threads: 1));

    /// <summary>The same with the base's own reader, which reads a connection as its bytes arrive (<see cref="IncomingRequest"/>).</summary>
    [Fact]
    public void Mutated_requests_read_as_they_arrive_by_the_base_are_refused_without_keeping_the_fds_that_came_with_them()
        => Bounded.Run(nameof(Mutated_requests_read_as_they_arrive_by_the_base_are_refused_without_keeping_the_fds_that_came_with_them), () =>
            Gen.Select(Mutation.Of(ValidRequest), Gen.Int[0, 3]).Sample((packet, fds) => ReadOnce(packet, fds, ReceiveAsTheBaseDoes), iter: 1500, threads: 1));

    private static HandedRequest ReceiveBlocking(int socket)
    {
        try
        {
            return AdoptionChannel.Receive(socket, TimeSpan.FromSeconds(5), withLeading: false);
        }
        finally
        {
            close(socket);
        }
    }

    private static HandedRequest ReceiveAsTheBaseDoes(int socket)
    {
        // The writer has closed: everything is there, so the reader never has to wait for more.
        using var incoming = new IncomingRequest(new FileDescriptor(socket), new PeerCredentials(0, 0, 0), Environment.TickCount64 + 5000);
        return incoming.ReadAvailable() ?? throw new InvalidOperationException("a closed connection read as incomplete");
    }

    /// <param name="packet">What the writer sends.</param>
    /// <param name="fdCount">How many fds it attaches.</param>
    /// <param name="receive">Reads the request from the socket, and closes the socket.</param>
    private static void ReadOnce(byte[] packet, int fdCount, Func<int, HandedRequest> receive)
    {
        int* pair = stackalloc int[2];
        PosixException.ThrowIfFailed(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), "socketpair");
        var passed = Enumerable.Range(0, fdCount).Select(_ => ControlSocketPair.Create()).ToList();
        try
        {
            if (packet.Length > 0)
            {
                FdPassing.Send(pair[0], packet, passed.Select(p => p.VassalEnd).ToArray(), Environment.TickCount64 + 5000);
            }

            passed.ForEach(p => p.CloseVassalEnd());
            close(pair[0]);
            try
            {
                using var request = receive(pair[1]);
                Assert.Equal(request.Request.FdCount, request.Fds().Length);
            }
            catch (Exception e) when (e is WireFormatException or EndOfStreamException)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }

            byte probe;
            foreach (var p in passed)
            {
                Assert.Equal(0, recv(p.EmperorEnd, &probe, 1, MSG_DONTWAIT));
            }
        }
        finally
        {
            passed.ForEach(p => p.Dispose());
        }
    }

    /// <summary>Runs a decoder: a value, or a WireFormatException whose message is not empty and whose offset is in the body.</summary>
    private static T? Decodes<T>(int bodyLength, Func<T> decode)
        where T : class
    {
        try
        {
            return decode();
        }
        catch (WireFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            if (e.Offset is { } offset)
            {
                Assert.InRange(offset, 0, bodyLength);
            }

            return null;
        }
    }

    private static int? Decodes(int bodyLength, Func<int> decode)
    {
        try
        {
            return decode();
        }
        catch (WireFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return null;
        }
    }
}
