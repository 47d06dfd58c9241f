using System.Runtime;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Warmup;

/// <summary>
/// The rule that keeps adoption fast: from the pid reply to the first response, an adopted master, its spare worker
/// and its workers compile no method. Everything they run was compiled ahead of time (ReadyToRun) or in the base
/// before it forked (its rehearsals and <see cref="CodePreparation"/>), and is shared copy-on-write; the JIT, tiered
/// compilation being off, costs 0.1–1 ms a method in each child. What breaks the rule most often: a generic
/// instantiation over a value type the base never made (a LINQ query over ints, a list of value tuples, a log event
/// of a type the base does not rehearse: <see cref="LogEventRehearsal"/>), a lambda or a method the rehearsals do
/// not reach.
/// </summary>
/// <remarks>
/// Each process marks the start of its part of the path (<see cref="Mark"/>) and logs, at debug level, how many
/// methods it compiled since, where its part ends (<see cref="End"/>). An end-to-end test reads those
/// lines and fails on any count but zero.
/// </remarks>
internal static partial class JitFreePath
{
    private static long s_compiledAtMark;
    private static int s_markedBy;

    /// <summary>Starts counting in this process (the pid reply, an adoption received, a worker's start).</summary>
    public static void Mark()
    {
        s_markedBy = ProcessCalls.GetPid();
        s_compiledAtMark = JitInfo.GetCompiledMethodCount();
    }

    /// <summary>Whether this process, not one it was forked from, has marked the start of its part of the path.</summary>
    public static bool IsMarked => s_markedBy == ProcessCalls.GetPid();

    /// <summary>Ends this process's part of the path: returns how many methods it compiled since its <see cref="Mark"/>.</summary>
    public static long End()
    {
        s_markedBy = 0;
        return JitInfo.GetCompiledMethodCount() - s_compiledAtMark;
    }
}
