using System.Runtime.InteropServices;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// What a process forked by application code in a worker keeps of the worker: nothing of the kernel's. Whoever forks
/// (Perl's fork, system(), backticks, a pipe open, a library), the child closes its copies of the listening socket,
/// the client connections, the event loop and the signalfd, and gets the default mask and
/// dispositions of the signals the worker reads from its signalfd (and SIGPIPE). So a daemon the application starts
/// holds neither the port nor a client's connection once the worker is gone, and a program it runs obeys SIGTERM.
/// </summary>
/// <remarks>
/// A pthread_atfork child handler, registered once by each worker that serves HTTP itself: it runs inside fork(),
/// in the child's only thread, on its first fork only (a grandchild keeps what its parent, the application's child,
/// opened since: the numbers may have been reused). Its state is static because the handler takes no argument.
/// </remarks>
internal static unsafe class ApplicationChildren
{
    private static HttpServerLoop? s_http;
    private static int s_eventLoopFd = -1;
    private static int s_signalFd = -1;

    /// <summary>Arms the handler for this worker's descriptors. Call once, before the worker serves.</summary>
    public static void Guard(HttpServerLoop http, EventLoop loop, SignalFd signals)
    {
        s_http = http;
        s_eventLoopFd = loop.Fd;
        s_signalFd = signals.Fd;
        ProcessCalls.RunInEveryForkedChild(&OnForkedChild);
    }

    [UnmanagedCallersOnly]
    private static void OnForkedChild()
    {
        HttpServerLoop? http = s_http;
        if (http is null)
        {
            return;
        }

        s_http = null;
        ControlledSignals.RestoreDefaultsInForkedChild();
        http.CloseDescriptorsInForkedChild();
        Descriptors.Close(s_eventLoopFd);
        Descriptors.Close(s_signalFd);
    }
}
