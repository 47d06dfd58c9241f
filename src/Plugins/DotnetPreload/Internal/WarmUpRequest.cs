using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// One request sent through the application's pipeline in the base, with no server and no socket: <c>GET</c> of a
/// path no application routes (<see cref="Path"/>), so routing builds its matcher and every endpoint's request
/// delegate, and the middleware runs, without any endpoint's own code running. Its 404 goes nowhere.
/// </summary>
internal static class WarmUpRequest
{
    public const string Path = "/.forkserver/warm-up";

    /// <summary>Sends it; true when it completed synchronously (an await that did not would need the thread pool).</summary>
    public static bool Send<TContext>(IHttpApplication<TContext> application)
        where TContext : notnull
    {
        var features = new FeatureCollection();
        var request = new HttpRequestFeature { Method = HttpMethods.Get, Path = Path, Protocol = "HTTP/1.1", Scheme = "http" };
        request.Headers.Host = "localhost";
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));

        var context = application.CreateContext(features);
        var processing = application.ProcessRequestAsync(context);
        application.DisposeContext(context, processing.IsFaulted ? processing.Exception : null);
        return processing.IsCompletedSuccessfully;
    }
}
