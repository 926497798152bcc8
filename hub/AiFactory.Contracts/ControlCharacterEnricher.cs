using Serilog.Core;
using Serilog.Events;

namespace AiFactory.Contracts;

/// <summary>
/// Escapes control characters in every text property of every log event (ids, paths, topics, details that quote a
/// request or a payload), so a value sent from outside cannot break a line and forge the next one in the hub's or an
/// edge agent's log. Both processes' Serilog pipelines enrich with it.
/// </summary>
public sealed class ControlCharacterEnricher : ILogEventEnricher
{
    /// <inheritdoc/>
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Escape(value) is { } clean)
            {
                (escaped ??= []).Add(new LogEventProperty(name, clean));
            }
        }

        foreach (var property in escaped ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with its text escaped, or null when nothing in it needs escaping.</summary>
    private static LogEventPropertyValue? Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when ControlCharacters.Any(text):
                return new ScalarValue(ControlCharacters.Escape(text));
            case ScalarValue { Value: { } other } when other is not string && other.GetType().IsPrimitive is false && other is not IFormattable:
                // Values logged by ToString (a PathString, a Uri, a StringValues) are rendered from text too.
                var rendered = other.ToString();
                return ControlCharacters.Any(rendered) ? new ScalarValue(ControlCharacters.Escape(rendered)) : null;
            case SequenceValue sequence:
                var items = sequence.Elements.Select(e => Escape(e)).ToList();
                return items.All(e => e is null) ? null : new SequenceValue(items.Select((e, i) => e ?? sequence.Elements[i]));
            case StructureValue structure:
                var props = structure.Properties.Select(p => Escape(p.Value)).ToList();
                return props.All(p => p is null)
                    ? null
                    : new StructureValue(structure.Properties.Select((p, i) => props[i] is { } v ? new LogEventProperty(p.Name, v) : p), structure.TypeTag);
            default:
                return null;
        }
    }
}
