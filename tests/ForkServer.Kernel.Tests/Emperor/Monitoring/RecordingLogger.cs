using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Tests.Emperor.Monitoring;

/// <summary>Keeps the event ids logged, so tests can tell which facts were logged and how often.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<int> EventIds { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => EventIds.Add(eventId.Id);
}
