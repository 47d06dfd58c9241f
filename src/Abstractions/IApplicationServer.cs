namespace ForkServer.Abstractions;

/// <summary>A server an <see cref="ISelfHostedApplication"/> runs in a worker.</summary>
public interface IApplicationServer
{
    /// <summary>
    /// Graceful stop: stop accepting, finish the requests in flight, then return. The kernel calls it on SIGTERM,
    /// SIGINT or SIGHUP and kills the worker if it takes longer than <c>worker-reload-mercy</c>; a brutal stop
    /// (SIGQUIT) ends the process without calling it.
    /// </summary>
    void Stop();
}
