using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// The application's server (Kestrel), wrapped. In a worker it is the server. In the base, starting it builds the
/// request pipeline and sends one warm-up request through it, synchronously and without a socket (see
/// <see cref="WarmUpRequest"/>), so that the pipeline's code is compiled once, there, instead of in every worker.
/// </summary>
internal sealed class ForkAwareServer(IServer inner, PreloadLifetime lifetime) : IServer
{
    public IFeatureCollection Features => inner.Features;

    private Func<IServer, Task>? _startWithPipeline;

    /// <summary>True once the warm-up request went through the pipeline and completed synchronously.</summary>
    public bool WarmedUp { get; private set; }

    /// <summary>
    /// Starts another server with the request pipeline the base built (see <see cref="ServerRehearsal"/>); null
    /// before the base's warm-up built one.
    /// </summary>
    public Task? StartWithPipeline(IServer server) => _startWithPipeline?.Invoke(server);

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        if (lifetime.Serving)
        {
            return inner.StartAsync(application, cancellationToken);
        }

        WarmedUp = WarmUpRequest.Send(application);
        _startWithPipeline = server => server.StartAsync(application, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
        => lifetime.Serving ? inner.StopAsync(cancellationToken) : Task.CompletedTask;

    public void Dispose() => inner.Dispose();
}
