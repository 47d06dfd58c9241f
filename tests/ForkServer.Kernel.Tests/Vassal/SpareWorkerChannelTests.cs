using System.Buffers.Binary;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using static ForkServer.Kernel.Tests.Posix.FdPassingTests;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Vassal;

/// <summary>
/// The channel between an adopted master and its spare worker, over a real socketpair: the adoption message and
/// what the worker refuses in it, and one whole adoption (arguments, bind, listening socket back) in this process.
/// </summary>
public sealed class SpareWorkerChannelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly string[] Argv = ["forkserver", "--ini", "one.ini"];

    [Fact]
    public void An_adoption_with_a_ready_pipe_and_an_emperor_link_arrives_whole()
    {
        using var connection = ConnectedPair.OverSocketPair();
        using var ready = Pipe.Create();
        using var emperor = Pipe.Create();
        FdPassing.Send(connection.Sender, Message(Argv, flags: 1), [ready.WriteEnd, emperor.WriteEnd], Deadline());

        var adoption = SpareWorker.AwaitAdoption(connection.Receiver, Timeout);

        Assert.NotNull(adoption);
        Assert.Equal(Argv, adoption.Argv);
        Assert.NotNull(adoption.Emperor);
        Assert.Null(adoption.OnDemand);
        close(adoption.ReadyPipe);
        close(adoption.Emperor.Value);
        ready.CloseWriteEnd();
        emperor.CloseWriteEnd();
        Assert.True(ready.AllWriteEndsClosed());
        Assert.True(emperor.AllWriteEndsClosed());
    }

    [Theory]
    [InlineData(3)] // says the Emperor link and the on-demand socket follow the ready pipe; only the pipe comes
    [InlineData(4)] // a flag nobody defined
    public void An_adoption_whose_fds_do_not_match_its_flags_is_refused_and_its_fds_closed(int flags)
    {
        using var connection = ConnectedPair.OverSocketPair();
        using var pipe = Pipe.Create();
        FdPassing.Send(connection.Sender, Message(Argv, flags), [pipe.WriteEnd], Deadline());
        pipe.CloseWriteEnd();

        Assert.Throws<WireFormatException>(() => SpareWorker.AwaitAdoption(connection.Receiver, Timeout));
        Assert.True(pipe.AllWriteEndsClosed());
    }

    [Fact]
    public void A_channel_its_master_closed_means_no_adoption()
    {
        using var connection = ConnectedPair.OverSocketPair();
        connection.CloseSender();

        Assert.Null(SpareWorker.AwaitAdoption(connection.Receiver, Timeout));
    }

    [Fact]
    public void A_whole_adoption_hands_the_master_a_listening_socket()
    {
        var configuration = KernelConfiguration.Load(["--http-socket", "127.0.0.1:0"], Environment.CurrentDirectory);

        // Both sides, as the base rehearses them: it throws if the socket does not come back listening.
        SpareWorker.Rehearse(VassalSettings.From(configuration.Options), configuration.Options, NullLogger.Instance, Timeout);
    }

    // The master's message by hand: the array's length, the flags, the array.
    private static byte[] Message(IReadOnlyList<string> argv, int flags)
    {
        byte[] array = UwsgiArray.Encode(argv);
        byte[] message = new byte[2 * sizeof(int) + array.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, array.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(sizeof(int)), flags);
        array.CopyTo(message, 2 * sizeof(int));
        return message;
    }
}
