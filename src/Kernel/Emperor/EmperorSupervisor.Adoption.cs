using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    // The base forks one vassal at a time. Requests beyond what it is working on only wait in its backlog with their
    // socket-timeout running, so a burst (a hundred files dropped at once) timed out its tail and retried it; a
    // few in flight are enough to keep the base busy while replies travel back.
    private const int MaxAdoptionsInFlight = 4;

    // A full backlog (a neighbour flooding the base's socket with connections it refuses) is retried this soon, not at
    // the loop's next wake-up, up to a second later.
    private const long BacklogRetryMs = 10;

    private long? _adoptionRetryAt;

    /// <summary>
    /// Asks the fork server to fork this vassal (docs/protocol.md#fork-server-session). Nothing here blocks the loop
    /// (D5 in docs/uwsgi-defects.md): the request goes out on a fresh connection, the reply is read when the loop says
    /// it arrived, and a base that does not answer within <c>socket-timeout</c> fails only this adoption (D1). A base
    /// that is not listening yet makes the vassal wait for it instead of being blacklisted (D4), and so do a base
    /// with <see cref="MaxAdoptionsInFlight"/> requests already in flight, a full backlog (retried within
    /// <see cref="BacklogRetryMs"/>) and a base being replaced (<see cref="SessionUnanswered"/>).
    /// </summary>
    private void RequestAdoption(VassalInstance vassal)
    {
        if (_vassals.Values.Count(v => v.Adoption is not null) >= MaxAdoptionsInFlight || ForkServerBeingReplaced)
        {
            vassal.AwaitingForkServer = true;
            return;
        }

        var control = ControlSocketPair.Create();
        AdoptionSession? session;
        try
        {
            session = AdoptionSession.Begin(_settings.ForkServer!, _commandLine.Arguments(vassal), control.VassalEnd, vassal.HeldListener, _settings.SocketTimeout, out bool backlogFull);
            if (backlogFull)
            {
                _adoptionRetryAt = Environment.TickCount64 + BacklogRetryMs;
            }
        }
        catch (Exception e) when (e is PosixException or TimeoutException or WireFormatException)
        {
            control.Dispose();
            FailAdoption(vassal, $"the request could not be sent: {e.Message}");
            return;
        }

        if (session is null)
        {
            control.Dispose();
            if (!vassal.AwaitingForkServer)
            {
                Log.WaitingForForkServer(_log, vassal.Name, _settings.ForkServer);
            }

            vassal.AwaitingForkServer = true;
            return;
        }

        // The base has its copies now (fds in flight stay open); ours would keep the vassal's channel open after
        // the vassal is gone, and the listener open after the vassal closed it for a new address.
        control.CloseVassalEnd();
        vassal.ReleaseListener();
        vassal.AwaitingForkServer = false;
        vassal.Adoption = new PendingAdoption(session, control);
        _loop.Add(session.Fd, EventLoop.Readable, _ => OnAdoptionReply(vassal));
    }

    private void OnAdoptionReply(VassalInstance vassal)
    {
        var adoption = vassal.Adoption!;
        int? pid;
        try
        {
            pid = adoption.Session.ReadReply();
        }
        catch (Exception e) when (e is WireFormatException or EndOfStreamException or PosixException)
        {
            SessionAnswered();
            FailAdoption(vassal, $"the fork server's reply was unusable: {e.Message}");
            return;
        }

        if (pid is not { } adopted)
        {
            return;
        }

        SessionAnswered();
        EndAdoptionSession(vassal);
        ProcessHandle handle;
        try
        {
            handle = ProcessHandle.Open(adopted);
        }
        catch (PosixException e)
        {
            adoption.Control.Dispose();
            FailAdoption(vassal, $"pid {adopted} is already gone: {e.Message}");
            return;
        }

        Watch(vassal, new VassalProcess(adopted, handle, adoption.Control, adopted: true));
    }

    private void EndAdoptionSession(VassalInstance vassal)
    {
        var session = vassal.Adoption!.Session;
        _loop.Remove(session.Fd);
        session.Dispose();
        vassal.Adoption = null;
    }

    private void FailAdoption(VassalInstance vassal, string reason)
    {
        if (vassal.Adoption is { } adoption)
        {
            EndAdoptionSession(vassal);
            adoption.Control.Dispose();
        }

        var delay = _blacklist.Punish(vassal.Name);
        Log.AdoptionFailed(_log, vassal.Name, reason, delay.TotalSeconds);
        vassal.SpawnAt = Environment.TickCount64 + (long)delay.TotalMilliseconds;
    }

    /// <summary>Adoptions that waited for the base, and those whose base did not answer in time.</summary>
    private void ServeAdoptions(long now)
    {
        if (_adoptionRetryAt <= now)
        {
            _adoptionRetryAt = null;
        }

        foreach (var vassal in _vassals.Values.ToList())
        {
            if (vassal.Adoption is { } adoption && now > adoption.Session.Deadline)
            {
                FailAdoption(vassal, $"no reply within {_settings.SocketTimeout.TotalSeconds} s (socket-timeout)");
                SessionUnanswered(vassal);
            }
            else if (vassal is { AwaitingForkServer: true, Process: null, Adoption: null, IsLeaving: false } && !_stopping)
            {
                RequestAdoption(vassal);
            }
        }
    }
}
