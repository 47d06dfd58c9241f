using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Outermost middleware of the application's pipeline: tells the kernel when a response is complete (the first one
/// makes the worker "loyal" to the Emperor).
/// </summary>
internal sealed class RequestServedStartupFilter : IStartupFilter
{
    /// <summary>Set in the worker, before its host starts.</summary>
    public Action? RequestServed { get; set; }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            await nextMiddleware(context);
            RequestServed?.Invoke();
        });
        next(app);
    };
}
