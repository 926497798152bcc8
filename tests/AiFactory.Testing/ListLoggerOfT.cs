using Microsoft.Extensions.Logging;

namespace AiFactory.Testing;

/// <summary>A <see cref="ListLogger"/> for code that asks for an <see cref="ILogger{TCategoryName}"/>.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ListLogger Inner { get; } = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => Inner.Lines;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => Inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Inner.Log(logLevel, eventId, state, exception, formatter);
}
