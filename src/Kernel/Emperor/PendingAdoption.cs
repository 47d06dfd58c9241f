using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

/// <summary>An adoption request in flight: the session waiting for the reply, and the vassal's control channel.</summary>
internal sealed record PendingAdoption(AdoptionSession Session, ControlSocketPair Control);
