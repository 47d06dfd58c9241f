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
    private readonly ITextFormatter _undatedFormatter;
    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    /// <param name="formatter">The line, date first.</param>
    /// <param name="undatedFormatter">The same line without its date, for <see cref="DateFormat"/>.</param>
    public StandardErrorSink(ITextFormatter formatter, ITextFormatter undatedFormatter)
    {
        _formatter = formatter;
        _undatedFormatter = undatedFormatter;
        // A buffer larger than any line: the whole event leaves in one write(2) at Flush.
        _writer = new StreamWriter(new DescriptorWriteStream(StandardStreams.ErrorFd), bufferSize: 16 * 1024) { AutoFlush = false };
    }

    /// <summary><c>log-date = format</c>: the strftime format that dates each line instead of the default date; null for the default.</summary>
    public static string? DateFormat { get; set; }

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            try
            {
                if (DateFormat is { } dateFormat)
                {
                    _writer.Write(Strftime.Format(dateFormat, logEvent.Timestamp.ToLocalTime()));
                    _writer.Write(' ');
                    _undatedFormatter.Format(logEvent, _writer);
                }
                else
                {
                    _formatter.Format(logEvent, _writer);
                }

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
