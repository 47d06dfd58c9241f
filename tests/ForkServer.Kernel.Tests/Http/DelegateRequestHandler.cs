using ForkServer.Abstractions;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>A request handler made from a lambda, for tests.</summary>
internal sealed class DelegateRequestHandler(Action<IRequest, IResponse> handle) : IRequestHandler
{
    public void Handle(IRequest request, IResponse response) => handle(request, response);
}
