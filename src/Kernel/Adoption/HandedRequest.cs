using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// An adoption request as one hop received it (<see cref="AdoptionChannel"/>): the request, the fds its mask
/// announces, and the fd ahead of them on the hops between ForkServer's own processes. It owns every fd until one
/// is handed on (<see cref="FileDescriptor.Move"/>, <see cref="FileDescriptor.Release"/>); disposing it closes the rest.
/// </summary>
internal sealed class HandedRequest : IDisposable
{
    public HandedRequest(FileDescriptor? leading, ForkServerRequest request, IReadOnlyList<int> fds)
    {
        Leading = leading;
        Request = request;
        Control = new FileDescriptor(fds[ForkServerRequest.ControlFdIndex]);
        Config = request.ConfigFdIndex is { } config ? new FileDescriptor(fds[config]) : null;
        OnDemand = request.OnDemandFdIndex is { } onDemand ? new FileDescriptor(fds[onDemand]) : null;
    }

    /// <summary>
    /// The fd the receiver answers on: the Emperor's connection in a spare (for the pid reply), the write end of
    /// its ready pipe in a spare worker; null in the base, which answers on the connection the request came on.
    /// </summary>
    public FileDescriptor? Leading { get; }

    /// <summary>The vassal's arguments and the fd mask.</summary>
    public ForkServerRequest Request { get; }

    /// <summary>The vassal's end of its Emperor link (mask 0x01, always there).</summary>
    public FileDescriptor Control { get; }

    /// <summary>The config pipe (mask 0x02), which only monitors ForkServer's Emperor lacks send.</summary>
    public FileDescriptor? Config { get; }

    /// <summary>The listening socket the Emperor kept from the vassal's previous process (mask 0x04).</summary>
    public FileDescriptor? OnDemand { get; }

    /// <summary>The request's own fds, in the mask's order, for passing on; this object still owns them.</summary>
    public int[] Fds()
    {
        var fds = new int[Request.FdCount];
        fds[ForkServerRequest.ControlFdIndex] = Control.Fd;
        if (Request.ConfigFdIndex is { } config)
        {
            fds[config] = Config!.Fd;
        }

        if (Request.OnDemandFdIndex is { } onDemand)
        {
            fds[onDemand] = OnDemand!.Fd;
        }

        return fds;
    }

    /// <summary>Closes every fd not handed on.</summary>
    public void Dispose()
    {
        Leading?.Dispose();
        Control.Dispose();
        Config?.Dispose();
        OnDemand?.Dispose();
    }
}
