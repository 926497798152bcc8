using Microsoft.Extensions.Logging;

namespace AiFactory.Testing;

/// <summary>A logger that keeps every line written (level, event id, formatted message), for tests that assert what is logged.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, EventId Event, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, EventId Event, string Message)> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Messages of the lines with this event id, in order.</summary>
    public List<string> Messages(int eventId) => Lines.Where(l => l.Event.Id == eventId).Select(l => l.Message).ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _lines.Add((logLevel, eventId, formatter(state, exception)));
        }
    }
}
