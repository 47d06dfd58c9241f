using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Posix;

/// <summary>
/// Who is at the other end of a connected Unix-domain socket, as the kernel recorded it at connect time
/// (SO_PEERCRED): it cannot be forged by the peer, unlike anything it writes.
/// </summary>
internal readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    /// <summary>Reads SO_PEERCRED from a connected (or accepted) Unix-domain socket.</summary>
    /// <exception cref="PosixException">The fd is not a connected Unix-domain socket.</exception>
    public static unsafe PeerCredentials Of(int connectedSocketFd)
    {
        ucred credentials = default;
        socklen_t length = (socklen_t)sizeof(ucred);
        PosixException.ThrowIfFailed(
            getsockopt(connectedSocketFd, SOL_SOCKET, SO_PEERCRED, &credentials, &length),
            $"getsockopt(SO_PEERCRED) on fd {connectedSocketFd}");
        return new PeerCredentials(credentials.pid, credentials.uid, credentials.gid);
    }
}
