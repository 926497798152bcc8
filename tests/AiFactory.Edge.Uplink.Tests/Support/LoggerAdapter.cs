using AiFactory.Testing;
using Microsoft.Extensions.Logging;

namespace AiFactory.Edge.Uplink.Tests.Support;

/// <summary>A typed logger writing into a <see cref="ListLogger"/>.</summary>
internal sealed class LoggerAdapter<T>(ListLogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
