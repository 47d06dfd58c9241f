using ForkServer.Abstractions;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// <c>lazy-apps</c>: the master of a classic vassal loads nothing after its early phase, and each worker loads the
/// application after its fork (<see cref="LoadInWorker"/>), so that nothing of it is shared between workers, at the
/// price of a load per worker and per respawn. The master holds this stand-in where it would hold the application.
/// </summary>
internal sealed class LazyApplication(ApplicationLoader loader) : IPreloadedApplication
{
    public string Description => "the application, loaded by each worker after its fork (lazy-apps)";

    /// <summary>In a freshly forked worker: loads the application; it runs in this process only.</summary>
    /// <exception cref="ApplicationLoadException">It does not load.</exception>
    /// <exception cref="StartupException">No option names one.</exception>
    public IPreloadedApplication LoadInWorker()
    {
        loader.Load(LoadPhase.Master);
        return loader.Require();
    }

    // Nothing of the application lives in the master: nothing to prepare, reseed or shut down.
    public void PrepareForFork()
    {
    }

    public void AfterFork(ForkedProcessContext context)
    {
    }

    public IRequestHandler CreateRequestHandler(WorkerContext context)
        => throw new InvalidOperationException("a lazy application serves through the one its worker loaded");

    public void Shutdown()
    {
    }
}
