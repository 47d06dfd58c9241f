using ForkServer.Kernel.Posix;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace ForkServer.Kernel.Logging;

/// <summary>
/// Writes log events straight to file descriptor 2. <c>System.Console</c> is not an option: touching it starts
/// the runtime's terminal and signal machinery, whose thread and pipe would be shared with every forked child
/// (docs/internals/fork-recipe.md#which-thread-forks).
/// </summary>
internal sealed class StandardErrorSink : ILogEventSink, IDisposable
{
    private readonly ITextFormatter _formatter;
    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    public StandardErrorSink(ITextFormatter formatter)
    {
        _formatter = formatter;
        // A buffer larger than any line: the whole event leaves in one write(2) at Flush.
        _writer = new StreamWriter(new DescriptorWriteStream(StandardStreams.ErrorFd), bufferSize: 16 * 1024) { AutoFlush = false };
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            try
            {
                _formatter.Format(logEvent, _writer);

                // One flush per event: nothing may stay buffered when the process forks or _exits.
                _writer.Flush();
            }
            catch (IOException)
            {
                // stderr closed or full (EPIPE): logging must never take a process down.
            }
        }
    }

    public void Dispose() => _writer.Dispose();
}
