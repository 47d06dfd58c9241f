using ForkServer.Kernel.Emperor.Monitoring;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Emperor;

internal sealed partial class EmperorSupervisor
{
    private void OnFileEvent(VassalFileEvent change)
    {
        if (_stopping)
        {
            return;
        }

        _vassals.TryGetValue(change.Name, out var vassal);
        switch (change.Change)
        {
            case VassalFileChange.Added when vassal is null:
                vassal = new VassalInstance(change.Name, change.Path, change.Monitor, change.ModifiedNs, change.OwnerUid, change.OwnerGid);
                _vassals[change.Name] = vassal;
                Spawn(vassal);
                break;
            case VassalFileChange.Added when vassal.IsLeaving:
                // Back while its old process is still stopping: a fresh one starts once that one is gone.
                vassal.IsLeaving = false;
                vassal.RespawnWhenGone = true;
                vassal.ModifiedNs = change.ModifiedNs;
                break;
            case VassalFileChange.Added:
            case VassalFileChange.Modified when vassal is not null:
                Reload(vassal!, change.ModifiedNs);
                break;
            case VassalFileChange.Removed when vassal is not null:
                Remove(vassal);
                break;
        }
    }

    /// <summary>
    /// The file changed: a running vassal gets byte 1; one waiting out a throttle, or exiled, starts now (its file
    /// may be fixed).
    /// </summary>
    private void Reload(VassalInstance vassal, long modifiedNs)
    {
        if (modifiedNs == vassal.ModifiedNs)
        {
            return;
        }

        vassal.ModifiedNs = modifiedNs;
        if (vassal.Process is { } process)
        {
            SendReload(vassal, process, "its file changed");
        }
        else
        {
            _blacklist.Forgive(vassal.Name);
            vassal.SpawnAt = null;
            Spawn(vassal);
        }
    }

    /// <summary>Byte 1: the vassal reloads in place and owes a new ready report.</summary>
    private void SendReload(VassalInstance vassal, VassalProcess process, string reason)
    {
        Log.Reloading(_log, vassal.Name, process.Pid, reason);
        vassal.Reloads++;
        process.Ready = process.Accepting = false;
        process.AwaitingReadySince = Environment.TickCount64;
        process.ReloadSent = true;
        Send(vassal, process, EmperorCommand.Reload);
    }

    /// <summary>The file is gone: stop the vassal; the instance is deleted once its process has ended.</summary>
    private void Remove(VassalInstance vassal)
    {
        _blacklist.Forgive(vassal.Name);
        vassal.IsLeaving = true;
        vassal.RespawnWhenGone = false;
        vassal.SpawnAt = null;
        vassal.AwaitingForkServer = false;
        if (vassal.Process is { } process)
        {
            Log.StoppingRemoved(_log, vassal.Name, process.Pid);
            Stop(vassal, process);
        }
        else if (vassal.Adoption is null)
        {
            vassal.ReleaseListener();
            _vassals.Remove(vassal.Name);
        }

        // An adoption in flight still yields a process: Watch stops it at once.
    }
}
