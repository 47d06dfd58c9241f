using ForkServer.Abstractions;
using ForkServer.Kernel.Adoption;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>How this vassal came to be: started on its own (classic) or adopted from a fork-server base.</summary>
/// <param name="Emperor">The link to the Emperor, if there is one.</param>
/// <param name="Preloaded">The application the base loaded before forking this vassal, if adopted.</param>
/// <param name="ExitOnReload">
/// An adopted vassal cannot re-execute itself (it would lose the preloaded application): on reload it exits and
/// the Emperor adopts a fresh one, as uWSGI's adopted vassals do.
/// </param>
/// <param name="OnDemandSocket">
/// The listening socket the Emperor passed with the adoption request, if any: the one this vassal's previous
/// process handed over when it exited for a reload. <see cref="VassalStartup"/> takes it over or closes it.
/// </param>
/// <param name="SpareWorker">
/// The worker the spare forked before the adoption, if adopted from a spare that had one: it already has the
/// arguments, binds the HTTP socket itself and sends it over (<see cref="SpareWorker.ReceiveListener(Http.ListenerProtocol, long)"/>), and
/// serves as worker 1.
/// </param>
internal sealed record VassalLaunch(EmperorLink? Emperor, IPreloadedApplication? Preloaded, bool ExitOnReload, FileDescriptor? OnDemandSocket = null, SpareWorker? SpareWorker = null)
{
    /// <summary>A classic vassal: its Emperor link (if any) from the environment, nothing preloaded.</summary>
    public static VassalLaunch Classic() => new(EmperorLink.FromEnvironment(), null, ExitOnReload: false);

    /// <summary>True for a vassal forked from a fork-server base (it was handed the base's application).</summary>
    public bool IsAdopted => Preloaded is not null;
}
