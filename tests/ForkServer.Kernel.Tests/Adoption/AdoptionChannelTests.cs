using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using static ForkServer.Kernel.Tests.Posix.FdPassingTests;

namespace ForkServer.Kernel.Tests.Adoption;

/// <summary>
/// The messages between ForkServer's own processes during an adoption, over a real socketpair: a request with one
/// fd ahead of its own (base to spare, master to spare worker), what a receiver refuses in it, and the listening
/// socket a spare worker sends its master.
/// </summary>
public sealed class AdoptionChannelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly string[] Argv = ["forkserver", "--ini", "one.ini"];

    [Fact]
    public void A_request_behind_a_ready_pipe_arrives_whole_and_owns_its_fds()
    {
        using var connection = ConnectedPair.OverSocketPair();
        using var ready = Pipe.Create();
        using var emperor = Pipe.Create();
        AdoptionChannel.Send(connection.Sender, ready.WriteEnd, Argv, ForkServerFdMask.Control, [emperor.WriteEnd], Deadline());
        ready.CloseWriteEnd();
        emperor.CloseWriteEnd();

        var request = AdoptionChannel.Await(connection.Receiver, Timeout);

        Assert.NotNull(request);
        Assert.Equal(Argv, request.Request.Argv);
        Assert.NotNull(request.Leading);
        Assert.Null(request.Config);
        Assert.Null(request.OnDemand);
        Assert.False(ready.AllWriteEndsClosed());
        request.Dispose();
        Assert.True(ready.AllWriteEndsClosed());
        Assert.True(emperor.AllWriteEndsClosed());
    }

    [Fact]
    public void The_on_demand_socket_is_found_by_the_mask_whatever_else_comes()
    {
        using var connection = ConnectedPair.OverSocketPair();
        using var ready = Pipe.Create();
        using var emperor = Pipe.Create();
        using var onDemand = Pipe.Create();
        AdoptionChannel.Send(connection.Sender, ready.WriteEnd, Argv, ForkServerFdMask.Control | ForkServerFdMask.OnDemand, [emperor.WriteEnd, onDemand.WriteEnd], Deadline());
        onDemand.CloseWriteEnd();

        using var request = AdoptionChannel.Receive(connection.Receiver, Timeout, withLeading: true);

        Assert.NotNull(request.OnDemand);
        using (request.OnDemand.Move())
        {
            Assert.False(onDemand.AllWriteEndsClosed());
        }

        Assert.True(onDemand.AllWriteEndsClosed());
    }

    [Fact]
    public void A_request_handed_on_to_a_spare_worker_leaves_the_config_pipe_behind_and_keeps_the_on_demand_socket()
    {
        using var fromEmperor = ConnectedPair.OverSocketPair();
        using var toWorker = ConnectedPair.OverSocketPair();
        using var emperor = Pipe.Create();
        using var config = Pipe.Create();
        using var onDemand = Pipe.Create();
        using var ready = Pipe.Create();
        var all = ForkServerFdMask.Control | ForkServerFdMask.Config | ForkServerFdMask.OnDemand;
        AdoptionChannel.Send(fromEmperor.Sender, null, Argv, all, [emperor.WriteEnd, config.WriteEnd, onDemand.WriteEnd], Deadline());
        using var master = AdoptionChannel.Receive(fromEmperor.Receiver, Timeout, withLeading: false);

        AdoptionChannel.HandOnToSpareWorker(toWorker.Sender, ready.WriteEnd, master, Deadline());
        using var worker = AdoptionChannel.Receive(toWorker.Receiver, Timeout, withLeading: true);

        Assert.Equal(ForkServerFdMask.Control | ForkServerFdMask.OnDemand, worker.Request.Mask);
        Assert.Equal(Argv, worker.Request.Argv);
        Assert.Null(worker.Config);
        master.Dispose();
        onDemand.CloseWriteEnd();
        Assert.False(onDemand.AllWriteEndsClosed());
        worker.OnDemand!.Dispose();
        Assert.True(onDemand.AllWriteEndsClosed());
    }

    [Theory]
    [InlineData(0x05)] // announces an on-demand socket that does not come
    [InlineData(0x07)] // and a config pipe
    public void A_request_whose_fds_do_not_match_its_mask_is_refused_and_its_fds_closed(byte announced)
    {
        var mask = (ForkServerFdMask)announced;
        using var connection = ConnectedPair.OverSocketPair();
        using var ready = Pipe.Create();
        using var emperor = Pipe.Create();
        AdoptionChannel.Send(connection.Sender, ready.WriteEnd, Argv, mask, [emperor.WriteEnd], Deadline());
        ready.CloseWriteEnd();
        emperor.CloseWriteEnd();

        Assert.Throws<WireFormatException>(() => AdoptionChannel.Receive(connection.Receiver, Timeout, withLeading: true));
        Assert.True(ready.AllWriteEndsClosed());
        Assert.True(emperor.AllWriteEndsClosed());
    }

    [Fact]
    public void A_channel_its_peer_closed_means_no_request()
    {
        using var connection = ConnectedPair.OverSocketPair();
        connection.CloseSender();

        Assert.Null(AdoptionChannel.Await(connection.Receiver, Timeout));
    }

    [Fact]
    public void The_socket_a_spare_worker_binds_reaches_its_master_listening()
    {
        var configuration = KernelConfiguration.Load(["--http-socket", "127.0.0.1:0"], Environment.CurrentDirectory);
        var steps = new StartupSteps(configuration, VassalSettings.From(configuration.Options), adopted: true);
        using var connection = ConnectedPair.OverSocketPair();

        using (var bound = steps.Listen(null, NullLogger.Instance))
        {
            AdoptionChannel.SendListener(connection.Sender, bound.Fd, Deadline());
        }

        using var received = AdoptionChannel.ReceiveListener(connection.Receiver, ListenerProtocol.Http, Deadline());
        Assert.NotNull(received);
        Assert.NotEqual(0, received.Port);
    }

    [Fact]
    public void A_master_whose_worker_hung_up_gets_no_listener()
    {
        using var connection = ConnectedPair.OverSocketPair();
        connection.CloseSender();

        Assert.Null(AdoptionChannel.ReceiveListener(connection.Receiver, ListenerProtocol.Http, Deadline()));
    }

    private static long Deadline() => Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
}
