using ForkServer.Abstractions;
using ForkServer.Plugins.Psgi.Internal;
using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi;

/// <summary>A compiled PSGI application living in the process's Perl interpreter.</summary>
/// <remarks>
/// After a fork Perl needs little: <c>$$</c> reads <c>getpid()</c> on every access in perl ≥ 5.16 (checked on
/// 5.36 with a raw fork that bypasses perl's own), so only <c>srand()</c> is called. The kernel calls
/// <see cref="PrepareForFork"/> in the parent before each fork and <see cref="AfterFork"/> first thing in the
/// child, on the thread that will then use the interpreter.
/// </remarks>
internal sealed partial class PsgiApplication(PerlInterpreter interpreter, int appId, string path, ILogger logger)
    : IPreloadedApplication
{
    public string Description => $"psgi app {path}";

    public void PrepareForFork() => interpreter.PrepareForFork();

    public void AfterFork(ForkedProcessContext context)
    {
        string? error = interpreter.AfterFork();
        if (error is null && context.Role == ForkedProcessRole.Worker)
        {
            error = interpreter.EnterWorker();
        }

        if (error is not null)
        {
            Log.AfterForkFailed(logger, context.ProcessId, error.TrimEnd());
        }
    }

    public IRequestHandler CreateRequestHandler(WorkerContext context) =>
        new PsgiRequestHandler(interpreter, appId, context.Logging.CreateLogger(PsgiLoader.LogCategory));

    public void Shutdown() => interpreter.RunEndBlocks(logger);
}
