using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EserSecurity.Tests.Support;

/// <summary>A logger provider that keeps every entry written through it, for tests of structured log events.</summary>
public sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    /// <summary>The entries of one event id, in the order they were written.</summary>
    public IReadOnlyList<RecordedLog> WithId(int eventId) => Entries.Where(e => e.EventId.Id == eventId).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<RecordedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            entries.Enqueue(new RecordedLog(category, logLevel, eventId, formatter(state, exception),
                values.Where(v => v.Key != "{OriginalFormat}").ToDictionary(v => v.Key, v => v.Value)));
        }
    }
}

/// <summary>One log entry: its category, level, event id, the rendered message and the structured values.</summary>
public sealed record RecordedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values);
