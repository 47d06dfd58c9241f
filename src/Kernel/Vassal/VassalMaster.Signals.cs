using ForkServer.Kernel.Logging;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Wire;

namespace ForkServer.Kernel.Vassal;

internal sealed partial class VassalMaster
{
    private void OnSignals()
    {
        while (_signals.TryRead(out int signal, out int sender))
        {
            if (signal == Signals.SIGTERM || signal == Signals.SIGINT)
            {
                if (_stopping)
                {
                    StopBrutally($"second stop signal {signal} from pid {sender}");
                }
                else
                {
                    StopGracefully($"signal {signal} from pid {sender}");
                }
            }
            else if (signal == Signals.SIGQUIT)
            {
                StopBrutally($"SIGQUIT from pid {sender}");
            }
            else if (signal == Signals.SIGHUP)
            {
                ReloadWorkers();
            }
            else if (signal == Signals.SIGUSR1)
            {
                foreach (var worker in _workers.Values.OrderBy(w => w.Slot))
                {
                    Log.WorkerState(_log, worker.Slot, worker.Pid, worker.IsReady, worker.IsRetiring);
                }
            }

            else if (signal == Signals.SIGUSR2 && KernelLogging.Reopen(_options, _log))
            {
                foreach (var worker in _workers.Values)
                {
                    worker.Process.Signal(Signals.SIGUSR2);
                }
            }

            // SIGCHLD needs nothing: every worker's pidfd reports its exit.
        }
    }

    private void OnEmperorCommands()
    {
        var commands = _emperor!.ReadCommands(out bool lost);
        foreach (var command in commands)
        {
            switch (command)
            {
                case EmperorCommand.Stop:
                    StopBrutally("stop from the Emperor");
                    break;
                case EmperorCommand.GracefulStop:
                    StopGracefully("graceful stop from the Emperor");
                    break;
                case EmperorCommand.Reload when !_stopping:
                    _outcome = MasterOutcome.Reload;
                    StopGracefully("reload from the Emperor");
                    OnReload?.Invoke();
                    break;
            }
        }

        if (lost)
        {
            // The fd stays readable at EOF: stop watching it or the loop spins.
            _loop.Remove(_emperor.Fd);
            Log.EmperorLost(_log);
            if (!_stopping)
            {
                _outcome = MasterOutcome.EmperorLost;
                StopGracefully("the Emperor is gone");
            }
        }
    }

    private void StopGracefully(string reason)
    {
        if (_stopping)
        {
            return;
        }

        Log.StoppingGracefully(_log, reason, _settings.WorkerMercy.TotalSeconds, _workers.Count);
        _stopping = true;
        foreach (var worker in _workers.Values.Where(w => !w.IsRetiring))
        {
            Retire(worker);
        }
    }

    private void StopBrutally(string reason)
    {
        Log.StoppingBrutally(_log, reason, _workers.Count);
        _stopping = true;
        foreach (var worker in _workers.Values)
        {
            worker.IsRetiring = true;
            worker.Process.Signal(Signals.SIGKILL);
        }
    }

    /// <summary>
    /// Fresh workers first, then the old ones finish their requests and exit: the listening socket never
    /// stops accepting, so a reload refuses no connection.
    /// </summary>
    private void ReloadWorkers()
    {
        if (_stopping)
        {
            return;
        }

        var old = _workers.Values.Where(w => !w.IsRetiring).ToList();
        Log.Reloading(_log, old.Count);
        foreach (var worker in old)
        {
            Retire(worker);
        }

        foreach (var worker in old)
        {
            SpawnWorker(worker.Slot);
        }
    }
}
