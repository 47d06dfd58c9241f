using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// The host's content-root file provider, wrapped so that the host survives <c>Main</c> being unwound in the base.
/// </summary>
/// <remarks>
/// When <see cref="PreloadLifetime"/> stops <c>app.Run()</c>, <c>RunAsync</c>'s <c>finally</c> disposes the host,
/// and a disposed service provider is useless to the workers. <c>Host.DisposeAsync</c> disposes its content-root
/// provider first and its services after; throwing here, while the preload unwinds, stops it between the two.
/// Otherwise it only forwards; it never disposes the wrapped provider, which the host disposes itself as its
/// default provider.
/// </remarks>
internal sealed class UnwindGuardFileProvider(IFileProvider inner, PreloadLifetime lifetime) : IFileProvider, IDisposable
{
    public IFileInfo GetFileInfo(string subpath) => inner.GetFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) => inner.GetDirectoryContents(subpath);

    public IChangeToken Watch(string filter) => inner.Watch(filter);

    public void Dispose()
    {
        if (lifetime.StartIntercepted && !lifetime.Serving)
        {
            throw new PreloadCompletedException();
        }
    }
}
