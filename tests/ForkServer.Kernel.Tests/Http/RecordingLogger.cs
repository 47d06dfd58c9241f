using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>Keeps every log event so tests can assert on what the server reported.</summary>
internal sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message, Exception? Exception)> Events { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Events.Enqueue((logLevel, eventId, formatter(state, exception), exception));

    public bool Has(int eventId) => Events.Any(e => e.Id.Id == eventId);
}
