using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

public sealed class EventLoopTests
{
    /// <summary>
    /// A worker's signalfd is added with AddFirst: a stop that arrived with connections on the shared listener is seen
    /// first, and the listener, removed by it, is not served in that wakeup (issue 18, item 2). Here the fd that turned
    /// ready first, and so comes first from epoll, is the one that must wait.
    /// </summary>
    [Fact]
    public void The_fd_added_first_is_served_before_the_others_of_its_wakeup_and_can_remove_them()
    {
        var (listenerRead, listenerWrite) = Pipes.Create("a listener's stand-in");
        var (signalsRead, signalsWrite) = Pipes.Create("a signalfd's stand-in");
        try
        {
            using var loop = new EventLoop();
            var served = new List<string>();
            loop.Add(listenerRead, EventLoop.Readable, _ => served.Add("listener"));
            loop.AddFirst(signalsRead, EventLoop.Readable, _ =>
            {
                served.Add("signals");
                loop.Remove(listenerRead);
            });

            DescriptorIo.Write(listenerWrite, [1], "write");
            DescriptorIo.Write(signalsWrite, [1], "write");
            Assert.Equal(2, loop.RunOnce(10_000));

            Assert.Equal(["signals"], served);
        }
        finally
        {
            Descriptors.CloseAll([listenerRead, listenerWrite, signalsRead, signalsWrite]);
        }
    }
}
