using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Adoption;

/// <summary>
/// The base's log of the peers it refuses for their uid (SO_PEERCRED). Anyone on the host may connect to an abstract
/// socket, and one line per refused connection let a neighbour write hundreds of thousands of lines a second into
/// the Emperor's log: the first refusal is logged whole, then the refusals of each <see cref="Interval"/> are counted
/// and summed up in one line at its end (how many, from which uids and pids), until an interval passes without one.
/// </summary>
internal sealed partial class RefusedPeers(ILogger log)
{
    /// <summary>At most one line per interval while refusals go on.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    // A summary names this many pids at most: a flooder that forks for every connection has thousands.
    private const int MaxPidsNamed = 8;

    private readonly SortedSet<uint> _uids = new();
    private readonly List<int> _pids = new(MaxPidsNamed);
    private bool _morePids;
    private int _count;
    private long? _intervalEnd;

    /// <summary>Logs, or counts, one refused connection.</summary>
    /// <param name="peer">Who connected.</param>
    /// <param name="allowed">The uid that may adopt besides root (the base's own).</param>
    public void Refused(PeerCredentials peer, uint allowed)
    {
        if (_intervalEnd is null)
        {
            Log.Refused(log, peer.Pid, peer.Uid, allowed, Interval.TotalSeconds);
            _intervalEnd = Environment.TickCount64 + (long)Interval.TotalMilliseconds;
            return;
        }

        _count++;
        _uids.Add(peer.Uid);
        if (!_pids.Contains(peer.Pid))
        {
            if (_pids.Count < MaxPidsNamed)
            {
                _pids.Add(peer.Pid);
            }
            else
            {
                _morePids = true;
            }
        }
    }

    /// <summary>Milliseconds until the current interval ends, or -1 when no refusal is pending.</summary>
    public int NextTimeoutMs()
        => _intervalEnd is { } end ? (int)Math.Clamp(end - Environment.TickCount64, 0, int.MaxValue) : -1;

    /// <summary>At the end of an interval: sums up its refusals in one line, or ends the counting if there were none.</summary>
    public void EnforceDeadline()
    {
        if (_intervalEnd is not { } end || Environment.TickCount64 < end)
        {
            return;
        }

        if (_count == 0)
        {
            _intervalEnd = null;
            return;
        }

        string pids = string.Join(", ", _pids) + (_morePids ? ", …" : "");
        Log.Summary(log, _count, Interval.TotalSeconds, string.Join(", ", _uids), pids);
        _count = 0;
        _uids.Clear();
        _pids.Clear();
        _morePids = false;
        _intervalEnd = Environment.TickCount64 + (long)Interval.TotalMilliseconds;
    }
}
