using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>The log events of the base's refused peers (ids 3430–3439).</summary>
internal sealed partial class RefusedPeers
{
    private static partial class Log
    {
        [LoggerMessage(3430, LogLevel.Warning, "adoption request refused: connection from pid {PeerPid} uid {PeerUid}: only root or uid {Allowed} may adopt (more refusals are counted, one line per {Interval} s)")]
        public static partial void Refused(ILogger logger, int peerPid, uint peerUid, uint allowed, double interval);

        [LoggerMessage(3431, LogLevel.Warning, "refused {Count} more connection(s) from other users in the last {Interval} s: uid(s) {Uids}, pid(s) {Pids}")]
        public static partial void Summary(ILogger logger, int count, double interval, string uids, string pids);
    }
}
