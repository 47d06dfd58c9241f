using System.Text;
using Microsoft.Extensions.Logging;
using static ForkServer.Plugins.Psgi.Internal.LibPerl;

namespace ForkServer.Plugins.Psgi.Internal;

/// <content>Loading applications and the process events around fork and exit.</content>
internal sealed unsafe partial class PerlInterpreter
{
    /// <summary>Compiles a <c>.psgi</c> file; returns the id that selects the application in requests.</summary>
    /// <param name="path">The file, relative to the working directory or absolute.</param>
    /// <param name="logger">Receives warnings and <c>psgi.errors</c> lines printed while loading.</param>
    /// <exception cref="PerlException">The file is missing, does not compile, dies or returns no CODE reference.</exception>
    public int LoadApplication(string path, ILogger logger)
    {
        using Lock.Scope scope = Enter();
        using PerlOutput.Binding binding = Output.Bind(logger, response: null);
        SetBytes(Variables.AppPath, Encoding.UTF8.GetBytes(path));

        // Perl's $0 magic (the glue does `local $0 = $file`, as Plack) also renames the calling thread with
        // prctl(PR_SET_NAME); on the main thread that renames the whole process in ps and top.
        byte* threadName = stackalloc byte[16];
        bool savedName = LibC.Prctl(LibC.PrGetName, threadName, 0, 0, 0) == 0;
        string? died = CallGlue(s_loadApp);
        if (savedName)
        {
            LibC.Prctl(LibC.PrSetName, threadName, 0, 0, 0);
        }

        string? error = died ?? (ReadInteger(Variables.LoadedId) == 0 ? ReadText(Variables.Error) : null);
        if (error is not null)
        {
            throw new PerlException(error.TrimEnd());
        }

        return checked((int)ReadInteger(Variables.LoadedId));
    }

    /// <summary>Flushes Perl's buffered output (STDOUT, STDERR, every PerlIO handle) so a child does not print it again.</summary>
    public void PrepareForFork()
    {
        using Lock.Scope scope = Enter();
        CallGlue(s_preFork);
        Perl_PerlIO_flush(_perl, 0);
    }

    /// <summary>
    /// Gives a freshly forked process its own <c>rand()</c> sequence, and <c>%ENV</c> the process's environment
    /// (an adopted vassal's <c>env</c> options changed it after the base's perl read it).
    /// </summary>
    /// <returns>Perl's error text if the hook died, else null.</returns>
    public string? AfterFork()
    {
        using Lock.Scope scope = Enter();
        Perl_call_argv(_perl, s_postFork, GVoid | GDiscard | GEval, *(byte***)_environ);
        return Perl_sv_true(_perl, Variables.EvalError) != 0 ? ReadText(Variables.EvalError) : null;
    }

    /// <summary>
    /// Makes this process (a freshly forked worker, on the thread that will serve) one whose application runs with
    /// the worker's signals unblocked and caught (<see cref="ApplicationSignals"/>).
    /// </summary>
    /// <returns>Perl's error text if the glue died, else null.</returns>
    public string? EnterWorker()
    {
        using Lock.Scope scope = Enter();
        ApplicationSignals.CaptureWorkerMask();
        return CallGlue(s_enterWorker);
    }

    /// <summary>Runs the END blocks that have not run yet (each runs once per process).</summary>
    /// <param name="logger">Receives what the blocks print to <c>psgi.errors</c> or warn.</param>
    public void RunEndBlocks(ILogger logger)
    {
        using Lock.Scope scope = Enter();
        using PerlOutput.Binding binding = Output.Bind(logger, response: null);
        CallGlue(s_runEndBlocks);
        Perl_PerlIO_flush(_perl, 0);
    }
}
