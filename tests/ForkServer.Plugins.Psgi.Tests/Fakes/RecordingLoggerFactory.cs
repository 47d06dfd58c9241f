using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi.Tests.Fakes;

/// <summary>Collects every log event of every logger it creates.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    public bool Contains(string text) => Events.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    internal sealed record LogEvent(string Category, LogLevel Level, EventId Id, string Message);

    private sealed class RecordingLogger(RecordingLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            factory.Events.Enqueue(new LogEvent(category, logLevel, eventId, formatter(state, exception)));
    }
}
