using ForkServer.Abstractions;
using ForkServer.Plugins.Psgi.Internal;
using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi;

/// <summary>
/// Serves a worker's requests with one PSGI application. Application errors never escape: a <c>die</c>
/// becomes a logged 500, or an aborted response when the head was already sent.
/// </summary>
internal sealed class PsgiRequestHandler(PerlInterpreter interpreter, int appId, ILogger logger) : IRequestHandler
{
    private readonly PsgiEnvironment _environment = new();

    public void Handle(IRequest request, IResponse response)
    {
        _environment.Build(request);
        interpreter.Serve(appId, _environment, request.Body.Span, request.BodyFile, response, logger);
    }
}
