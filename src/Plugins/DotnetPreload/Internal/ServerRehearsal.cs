using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// A throwaway Kestrel on an ephemeral loopback port, started with the application's own request pipeline and
/// transport, sent one warm-up request (<see cref="WarmUpRequest.Path"/>, which no application routes), then
/// stopped. Run in a spare worker before it knows its socket: the types, stubs and code of Kestrel's start and of
/// a first response are then loaded and compiled when the worker's real host starts, which took it ~45 ms of
/// runtime work (type loading, JIT) after adoption.
/// </summary>
internal static class ServerRehearsal
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <returns>False when the base built no pipeline to rehearse with (its warm-up was turned off).</returns>
    public static bool Run(IServiceProvider services, ForkAwareServer server)
    {
        var options = new KestrelServerOptions { ApplicationServices = services };
        options.Listen(IPAddress.Loopback, 0);
        using var rehearsal = new KestrelServer(Options.Create(options), services.GetRequiredService<IConnectionListenerFactory>(), NullLoggerFactory.Instance);
        if (server.StartWithPipeline(rehearsal) is not { } starting)
        {
            return false;
        }

        starting.WaitAsync(Timeout).GetAwaiter().GetResult();
        try
        {
            var address = new Uri(rehearsal.Features.Get<IServerAddressesFeature>()!.Addresses.First());
            SendWarmUpRequest(address.Port);
        }
        finally
        {
            rehearsal.StopAsync(CancellationToken.None).WaitAsync(Timeout).GetAwaiter().GetResult();
        }

        return true;
    }

    private static void SendWarmUpRequest(int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)Timeout.TotalMilliseconds };
        client.Connect(IPAddress.Loopback, port);
        client.Send(Encoding.ASCII.GetBytes($"GET {WarmUpRequest.Path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        byte[] buffer = new byte[4096];
        while (client.Receive(buffer) > 0)
        {
        }
    }
}
