namespace ForkServer.Abstractions;

/// <summary>Serves requests in a worker, one at a time, on the worker's main thread.</summary>
public interface IRequestHandler
{
    /// <summary>
    /// Serves one request. The handler must call <see cref="IResponse.Start"/> once, then any number of
    /// <see cref="IResponse.Write"/>, then <see cref="IResponse.Complete"/> (or <see cref="IResponse.Abort"/>).
    /// An exception thrown here becomes a logged 500 if nothing was sent yet, and a closed connection otherwise;
    /// the worker lives on.
    /// </summary>
    /// <param name="request">The parsed request with its whole body.</param>
    /// <param name="response">Where the response goes.</param>
    void Handle(IRequest request, IResponse response);
}
