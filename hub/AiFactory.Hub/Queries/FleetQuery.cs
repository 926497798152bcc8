using AiFactory.Hub.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Queries;

/// <summary>Edges of a plant (online state, outbox backlog) and a line's latest events.</summary>
public sealed class FleetQuery(HubDatabase database, IOptions<HubOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<EdgeStatus>> EdgesAsync(string company, string plant, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<EdgeRow>(
            """
            SELECT id AS Id, name AS Name, plant_id AS PlantId, last_seen_utc AS LastSeen, high_water AS HighWater, batches AS Batches,
                   records AS Records, duplicate_records AS Duplicates, backlog_records AS BacklogRecords, backlog_bytes AS BacklogBytes,
                   oldest_backlog_utc AS OldestBacklog, dropped_oldest AS DroppedOldest, rejected_new AS RejectedNew, quarantined AS Quarantined
            FROM edges WHERE company_id = @company AND plant_id = @plant ORDER BY id
            """,
            new { company, plant }).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return rows.Select(e =>
        {
            DateTimeOffset? seen = e.LastSeen is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            return new EdgeStatus(
                e.Id, e.Name, e.PlantId, seen is { } s && now - s <= options.Value.EdgeOfflineAfter, seen, e.HighWater, e.Batches, e.Records,
                e.Duplicates, e.BacklogRecords, e.BacklogBytes, e.OldestBacklog is { } ob ? DateTimeOffset.FromUnixTimeMilliseconds(ob) : null,
                e.DroppedOldest, e.RejectedNew, e.Quarantined);
        }).ToList();
    }

    public async Task<IReadOnlyList<EventRow>> EventsAsync(string company, string plant, string line, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Edge, long Seq, string Line, string Station, long Time, string Kind, double Score, string? Class, string Model, string Version)>(
            """
            SELECT edge_id, seq, line_id, station_id, time_utc, kind, score, class_name, model_name, model_version FROM events
            WHERE company_id = @company AND plant_id = @plant AND line_id = @line AND time_utc >= @from AND time_utc < @to
            ORDER BY time_utc DESC, edge_id, seq LIMIT @limit
            """,
            new { company, plant, line, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), limit = (long)limit }).ConfigureAwait(false);
        return rows.Select(e => new EventRow(e.Edge, e.Seq, e.Line, e.Station, DateTimeOffset.FromUnixTimeMilliseconds(e.Time), e.Kind, e.Score, e.Class, e.Model, e.Version)).ToList();
    }

    /// <summary>The raw chunks of one station whose span overlaps [from, to), oldest first.</summary>
    public async Task<IReadOnlyList<RawChunkRow>> RawAsync(string company, string plant, string line, string station, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Edge, long Seq, long First, long Last, string Chunk)>(
            """
            SELECT edge_id, seq, first_time_utc, last_time_utc, chunk FROM raw_chunks
            WHERE company_id = @company AND plant_id = @plant AND line_id = @line AND station_id = @station
              AND first_time_utc < @to AND last_time_utc >= @from
            ORDER BY first_time_utc, edge_id, seq LIMIT @limit
            """,
            new { company, plant, line, station, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), limit = (long)limit }).ConfigureAwait(false);
        return rows.Select(r =>
        {
            var chunk = System.Text.Json.JsonSerializer.Deserialize(r.Chunk, AiFactory.Contracts.AiFactoryJsonContext.Default.StationRawChunk)!;
            return new RawChunkRow(r.Edge, r.Seq, line, station, DateTimeOffset.FromUnixTimeMilliseconds(r.First), DateTimeOffset.FromUnixTimeMilliseconds(r.Last), chunk.Tags, chunk.Rows);
        }).ToList();
    }

    private sealed record EdgeRow(
        string Id, string Name, string PlantId, long? LastSeen, long HighWater, long Batches, long Records, long Duplicates,
        long BacklogRecords, long BacklogBytes, long? OldestBacklog, long DroppedOldest, long RejectedNew, long Quarantined);
}
