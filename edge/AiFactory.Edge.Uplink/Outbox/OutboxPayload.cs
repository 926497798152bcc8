using System.Text.Json;
using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Outbox;

/// <summary>The JSON a record is stored as (the wire form of its summary or event), and the way back.</summary>
public static class OutboxPayload
{
    public static (OutboxRecordKind Kind, byte[] Payload) Encode(OutboxItem item) =>
        item.Summary is { } summary
            ? (OutboxRecordKind.Summary, JsonSerializer.SerializeToUtf8Bytes(summary, AiFactoryJsonContext.Default.StationWindowSummary))
            : item.Raw is { } raw
                ? (OutboxRecordKind.Raw, JsonSerializer.SerializeToUtf8Bytes(raw, AiFactoryJsonContext.Default.StationRawChunk))
                : (OutboxRecordKind.Event, JsonSerializer.SerializeToUtf8Bytes(item.Event!, AiFactoryJsonContext.Default.StationEvent));

    /// <summary>Rebuilds the wire record; null with a reason when the payload cannot be read back (a salvaged or damaged row).</summary>
    public static UplinkRecord? Decode(OutboxEntry entry, out string? problem)
    {
        problem = null;
        try
        {
            switch (entry.Kind)
            {
                case OutboxRecordKind.Summary when JsonSerializer.Deserialize(entry.Payload, AiFactoryJsonContext.Default.StationWindowSummary) is { } summary:
                    return new UplinkRecord(entry.Sequence, summary, null);
                case OutboxRecordKind.Event when JsonSerializer.Deserialize(entry.Payload, AiFactoryJsonContext.Default.StationEvent) is { } ev:
                    return new UplinkRecord(entry.Sequence, null, ev);
                case OutboxRecordKind.Raw when JsonSerializer.Deserialize(entry.Payload, AiFactoryJsonContext.Default.StationRawChunk) is { } raw:
                    return new UplinkRecord(entry.Sequence, null, null, raw);
                case OutboxRecordKind.Summary or OutboxRecordKind.Event or OutboxRecordKind.Raw:
                    problem = $"record {entry.Sequence}: payload is JSON null";
                    return null;
                default:
                    problem = $"record {entry.Sequence}: unknown kind {(int)entry.Kind}";
                    return null;
            }
        }
        catch (JsonException ex)
        {
            problem = $"record {entry.Sequence}: payload is not a readable {entry.Kind}: {ex.Message}";
            return null;
        }
    }
}
