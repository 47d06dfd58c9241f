using ForkServer.Abstractions;
using Microsoft.Extensions.Hosting;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>A started host in a worker: stopping it is Kestrel's graceful stop (bounded by the host's <c>ShutdownTimeout</c>).</summary>
internal sealed class HostServer(IHost host) : IApplicationServer
{
    public void Stop() => host.StopAsync().GetAwaiter().GetResult();
}
