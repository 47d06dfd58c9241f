using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    /// <summary>How many adoption sessions in a row a base may leave unanswered before the Emperor replaces it.</summary>
    /// <remarks>
    /// A base answers a session within milliseconds, and a busy one still answers some of them: only a base that is
    /// stopped, or stuck in its loop, lets every session run into <c>socket-timeout</c>. Left alone it would take every
    /// request of the queue when it resumed, and fork a vassal for each session long given up.
    /// </remarks>
    private const int MaxUnansweredSessions = 3;

    // The sessions that went unanswered since the base last answered one, and whose they were.
    private readonly HashSet<string> _unansweredVassals = new(StringComparer.Ordinal);
    private int _unansweredSessions;

    /// <summary>Whether a base of this Emperor was killed and is not reaped yet: adoptions wait for its successor.</summary>
    private bool ForkServerBeingReplaced
        => _vassals.Values.Any(v => v.Process is { Killed: true } && _settings.ForkBases.Contains(v.Name));

    /// <summary>The fork server answered a session (a pid, or anything else): it is alive.</summary>
    private void SessionAnswered()
    {
        _unansweredSessions = 0;
        _unansweredVassals.Clear();
    }

    /// <summary>
    /// <paramref name="vassal"/>'s session ran into <c>socket-timeout</c>. After <see cref="MaxUnansweredSessions"/> in a
    /// row the base is killed (it is this Emperor's vassal, so it is respawned at once, as a base that died), the
    /// sessions still in flight to it are ended, and every vassal whose adoption it failed waits, unpunished, for the
    /// new base's ready report.
    /// </summary>
    private void SessionUnanswered(VassalInstance vassal)
    {
        _unansweredVassals.Add(vassal.Name);
        if (++_unansweredSessions < MaxUnansweredSessions)
        {
            return;
        }

        var bases = _vassals.Values.Where(v => _settings.ForkBases.Contains(v.Name) && v.Process is { Killed: false }).ToList();
        if (bases.Count == 0)
        {
            Log.ForkServerUnanswering(_log, _settings.ForkServer, MaxUnansweredSessions);
            SessionAnswered();
            return;
        }

        foreach (var forkBase in bases)
        {
            var process = forkBase.Process!;
            Log.KillingHungBase(_log, forkBase.Name, process.Pid, MaxUnansweredSessions);
            process.Handle.Signal(Signals.SIGKILL);
            process.Killed = true;
        }

        foreach (var waiting in _vassals.Values)
        {
            if (waiting.Adoption is { } adoption)
            {
                EndAdoptionSession(waiting);
                adoption.Control.Dispose();
                waiting.AwaitingForkServer = true;
            }
            else if (_unansweredVassals.Contains(waiting.Name) && waiting is { Process: null, IsLeaving: false })
            {
                _blacklist.Forgive(waiting.Name);
                waiting.SpawnAt = null;
                waiting.AwaitingForkServer = true;
            }
        }

        SessionAnswered();
    }
}
