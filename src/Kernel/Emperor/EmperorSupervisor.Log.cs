using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Emperor;

/// <summary>The Emperor's log events (ids 2001–2099).</summary>
internal sealed partial class EmperorSupervisor
{
    /// <summary>Log events of the Emperor: its life, its vassals' lives, adoptions, signals and orphans.</summary>
    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Information, "stats on {Address}")]
        public static partial void StatsListening(ILogger logger, string address);

        [LoggerMessage(2002, LogLevel.Information, "emperor {Pid} watching {Monitors}")]
        public static partial void Watching(ILogger logger, int pid, string monitors);

        [LoggerMessage(2003, LogLevel.Information, "the Emperor is buried")]
        public static partial void Buried(ILogger logger);

        [LoggerMessage(2010, LogLevel.Error, "cannot spawn vassal {Name}: {Error}; next try in {Delay} s")]
        public static partial void SpawnFailed(ILogger logger, string name, string error, double delay);

        [LoggerMessage(2011, LogLevel.Information, "{How} vassal {Name} (pid {VassalPid})")]
        public static partial void Started(ILogger logger, string how, string name, int vassalPid);

        [LoggerMessage(2012, LogLevel.Debug, "vassal {Name} (pid {VassalPid}) exited before it was re-parented to the Emperor: reaped on SIGCHLD")]
        public static partial void ExitedBeforeReparenting(ILogger logger, string name, int vassalPid);

        [LoggerMessage(2013, LogLevel.Information, "vassal {Name} (pid {VassalPid}) ended: {Status}; its file is back, spawning anew")]
        public static partial void EndedAndBack(ILogger logger, string name, int vassalPid, ExitStatus status);

        [LoggerMessage(2014, LogLevel.Information, "vassal {Name} (pid {VassalPid}) ended: {Status}")]
        public static partial void Ended(ILogger logger, string name, int vassalPid, ExitStatus status);

        [LoggerMessage(2015, LogLevel.Information, "vassal {Name} (pid {VassalPid}) ended for its reload: adopting anew")]
        public static partial void EndedForReload(ILogger logger, string name, int vassalPid);

        [LoggerMessage(2016, LogLevel.Warning, "vassal {Name} (pid {VassalPid}) exiled itself (exit code {Code}): not respawned until its file changes")]
        public static partial void Exiled(ILogger logger, string name, int vassalPid, int code);

        [LoggerMessage(2017, LogLevel.Warning, "vassal {Name} (pid {VassalPid}) died: {Status}; respawning")]
        public static partial void Died(ILogger logger, string name, int vassalPid, ExitStatus status);

        [LoggerMessage(2018, LogLevel.Warning, "vassal {Name} (pid {VassalPid}) died before it was loyal: {Status}; respawning in {Delay} s")]
        public static partial void DiedBeforeLoyal(ILogger logger, string name, int vassalPid, ExitStatus status, double delay);

        [LoggerMessage(2020, LogLevel.Information, "vassal {Name} waits for the fork server {Path}")]
        public static partial void WaitingForForkServer(ILogger logger, string name, string? path);

        [LoggerMessage(2021, LogLevel.Error, "adoption of vassal {Name} failed: {Reason}; next try in {Delay} s")]
        public static partial void AdoptionFailed(ILogger logger, string name, string reason, double delay);

        [LoggerMessage(2070, LogLevel.Error, "the fork-server base {Name} (pid {VassalPid}) answered none of the last {Count} adoption sessions: killing it; it is respawned, and the vassals it failed are adopted from the new one")]
        public static partial void KillingHungBase(ILogger logger, string name, int vassalPid, int count);

        [LoggerMessage(2071, LogLevel.Error, "the fork server {Path} answered none of the last {Count} adoption sessions, and no base of this Emperor runs it: nothing to replace")]
        public static partial void ForkServerUnanswering(ILogger logger, string? path, int count);

        [LoggerMessage(2030, LogLevel.Error, "vassal {Name} (pid {VassalPid}) floods its control socket (> {Limit} bytes/s): channel closed")]
        public static partial void Flooding(ILogger logger, string name, int vassalPid, int limit);

        [LoggerMessage(2031, LogLevel.Information, "vassal {Name} (pid {VassalPid}) is ready")]
        public static partial void Ready(ILogger logger, string name, int vassalPid);

        [LoggerMessage(2032, LogLevel.Information, "vassal {Name} (pid {VassalPid}) is ready to accept requests")]
        public static partial void Accepting(ILogger logger, string name, int vassalPid);

        [LoggerMessage(2033, LogLevel.Information, "vassal {Name} (pid {VassalPid}) is now loyal")]
        public static partial void Loyal(ILogger logger, string name, int vassalPid);

        [LoggerMessage(2034, LogLevel.Information, "vassal {Name} (pid {VassalPid}) handed over its listening socket for its next adoption")]
        public static partial void ListenerHeld(ILogger logger, string name, int vassalPid);

        [LoggerMessage(2035, LogLevel.Warning, "vassal {Name} (pid {VassalPid}) cursed: {Reason}")]
        public static partial void Cursed(ILogger logger, string name, int vassalPid, string reason);

        [LoggerMessage(2040, LogLevel.Error, "killing vassal {Name} (pid {VassalPid}): {Reason}")]
        public static partial void Killing(ILogger logger, string name, int vassalPid, string reason);

        [LoggerMessage(2041, LogLevel.Information, "reloading vassal {Name} (pid {VassalPid}): {Reason}")]
        public static partial void Reloading(ILogger logger, string name, int vassalPid, string reason);

        [LoggerMessage(2042, LogLevel.Information, "stopping vassal {Name} (pid {VassalPid}): its file is gone")]
        public static partial void StoppingRemoved(ILogger logger, string name, int vassalPid);

        [LoggerMessage(2090, LogLevel.Information, "vassal {Name} (pid {VassalPid}) handed over its listening socket for its reload: adopting its successor while it finishes its requests")]
        public static partial void AdoptingSuccessor(ILogger logger, string name, int vassalPid);

        [LoggerMessage(2091, LogLevel.Information, "previous process of vassal {Name} (pid {VassalPid}) ended after its reload: {Status}")]
        public static partial void RetiredEnded(ILogger logger, string name, int vassalPid, ExitStatus status);

        [LoggerMessage(2050, LogLevel.Information, "vassal {Name}: pid {VassalPid}, ready {Ready}, accepting {Accepting}, loyal {Loyal}, reloads {Reloads}")]
        public static partial void VassalState(ILogger logger, string name, int vassalPid, bool ready, bool accepting, bool loyal, int reloads);

        [LoggerMessage(2051, LogLevel.Warning, "second stop ({Reason}): killing every vassal now")]
        public static partial void SecondStop(ILogger logger, string reason);

        [LoggerMessage(2052, LogLevel.Information, "stopping {Count} vassal(s) ({Reason})")]
        public static partial void StoppingAll(ILogger logger, int count, string reason);

        [LoggerMessage(2060, LogLevel.Information, "reaped orphan {Pid} inherited as subreaper ({Status})")]
        public static partial void OrphanReaped(ILogger logger, int pid, ExitStatus status);

        [LoggerMessage(2061, LogLevel.Debug, "orphan {Pid} not reaped: {Error}")]
        public static partial void OrphanNotReaped(ILogger logger, int pid, string error);
    }
}
