using Microsoft.Extensions.Hosting;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// The host's lifetime, in place of the console lifetime (which registers signal handlers and writes to the
/// console). It is where a host's start is intercepted: the first thing <c>Host.StartAsync</c> does is wait for
/// its lifetime. In the base it throws <see cref="PreloadCompletedException"/>, so <c>app.Run()</c> never
/// starts Kestrel there; in a worker it lets the start go on. Stops come from the kernel's signals, not from it.
/// </summary>
internal sealed class PreloadLifetime : IHostLifetime
{
    /// <summary>The host this lifetime belongs to, once built.</summary>
    public IHost? Host { get; set; }

    /// <summary>True once the application asked its host to start (it reached <c>app.Run()</c>) in the base.</summary>
    public bool StartIntercepted { get; private set; }

    /// <summary>True in a worker: starting is what it is there for.</summary>
    public bool Serving { get; set; }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        if (Serving)
        {
            return Task.CompletedTask;
        }

        StartIntercepted = true;
        throw new PreloadCompletedException();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
