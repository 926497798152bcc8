using System.Data.Common;
using System.Globalization;
using System.Text;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Live;

/// <summary>
/// The reads a grain rebuilds itself from when it activates: SQL is the truth, so a grain lost with its silo comes
/// back with exactly what was committed. Only minute buckets of the last hour, the latest events and edge rows are read.
/// </summary>
public sealed class LiveStore(HubDatabase database)
{
    public async Task<EdgeRecord?> EdgeAsync(string edgeId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await EdgesAsync(c, null, "id = @edgeId", new { edgeId }).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The edges of a company, or of one plant.</summary>
    public async Task<IReadOnlyList<EdgeRecord>> EdgesAsync(string company, string? plant, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await EdgesAsync(c, null, plant is null ? "company_id = @company" : "company_id = @company AND plant_id = @plant", new { company, plant }).ConfigureAwait(false);
    }

    /// <summary>A station's minutes since <paramref name="since"/>, latest events and its plant's high-water marks, from one snapshot.</summary>
    public Task<StationState> StationAsync(MetricsScope station, long since, int events, CancellationToken ct) =>
        database.ReadSnapshotAsync(async (c, tx) =>
        {
            var series = await MinutesAsync(c, tx, station, "station_id", since, ct).ConfigureAwait(false);
            var edges = await EdgesAsync(c, tx, "company_id = @company AND plant_id = @plant", new { company = station.CompanyId, plant = station.PlantId }).ConfigureAwait(false);
            var latest = await EventsAsync(c, tx, station, events).ConfigureAwait(false);
            return new StationState(
                series.GetValueOrDefault(station.StationId!) ?? new KpiSeries(),
                edges.ToDictionary(e => e.EdgeId, e => e.HighWater, StringComparer.Ordinal),
                latest);
        }, ct);

    /// <summary>A line's (per station), plant's (per line) or company's (per plant) minutes since <paramref name="since"/> and latest events.</summary>
    public Task<ScopeState> ScopeAsync(MetricsScope scope, long since, int events, CancellationToken ct) =>
        database.ReadSnapshotAsync(async (c, tx) =>
        {
            var child = scope.LineId is not null ? "station_id" : scope.PlantId is not null ? "line_id" : "plant_id";
            var children = await MinutesAsync(c, tx, scope, child, since, ct).ConfigureAwait(false);
            return new ScopeState(children, await EventsAsync(c, tx, scope, events).ConfigureAwait(false), await RegisteredAsync(c, tx, scope).ConfigureAwait(false));
        }, ct);

    /// <summary>
    /// The children registered under a line (its stations), a plant (its lines) or a company (its plants), whether or
    /// not they reported in the last hour: a live view lists an idle station too.
    /// </summary>
    public async Task<IReadOnlyList<string>> RegisteredChildrenAsync(MetricsScope scope, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await RegisteredAsync(c, null, scope).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<string>> RegisteredAsync(DbConnection c, DbTransaction? tx, MetricsScope scope)
    {
        var (table, filter) = scope.LineId is not null ? ("stations", "company_id = @c AND plant_id = @p AND line_id = @l")
            : scope.PlantId is not null ? ("lines", "company_id = @c AND plant_id = @p")
            : ("plants", "company_id = @c");
        var rows = await c.QueryAsync<string>(
            $"SELECT id FROM {table} WHERE {filter} ORDER BY id", new { c = scope.CompanyId, p = scope.PlantId, l = scope.LineId }, tx).ConfigureAwait(false);
        return rows.AsList();
    }

    private static async Task<List<EdgeRecord>> EdgesAsync(DbConnection c, DbTransaction? tx, string where, object args)
    {
        var rows = await c.QueryAsync<(string Id, string Company, string Plant, long HighWater, long? LastSeen)>(
            $"SELECT id, company_id, plant_id, high_water, last_seen_utc FROM edges WHERE {where} ORDER BY id", args, tx).ConfigureAwait(false);
        return rows.Select(r => new EdgeRecord(r.Id, r.Company, r.Plant, r.HighWater, r.LastSeen is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null)).ToList();
    }

    private static async Task<Dictionary<string, KpiSeries>> MinutesAsync(DbConnection c, DbTransaction tx, MetricsScope scope, string child, long since, CancellationToken ct)
    {
        var (filter, args) = Filter(scope);
        args["since"] = since;
        var where = $"{filter} AND granularity = 60 AND bucket_start >= @since";
        var sql = new StringBuilder($"SELECT {child}, bucket_start, SUM(frames), SUM(pass_count), SUM(fail_count), SUM(anomalies), SUM(lat_count), SUM(lat_sum), MIN(lat_min), MAX(lat_max)");
        foreach (var column in BucketColumns.Latency)
        {
            sql.Append(", SUM(").Append(column).Append(')');
        }

        sql.Append($" FROM station_buckets WHERE {where} GROUP BY {child}, bucket_start");
        var children = new Dictionary<string, KpiSeries>(StringComparer.Ordinal);
        await using (var cmd = MetricsQuery.Command(c, sql.ToString(), args, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            var counts = new long[BucketColumns.Latency.Count];
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var m = Series(children, r.GetString(0)).At(Long(r, 1));
                m.Frames += Long(r, 2);
                m.Pass += Long(r, 3);
                m.Fail += Long(r, 4);
                m.Anomalies += Long(r, 5);
                var count = Long(r, 6);
                if (count > 0)
                {
                    for (var i = 0; i < counts.Length; i++)
                    {
                        counts[i] = Long(r, 10 + i);
                    }

                    m.AddLatency(counts, count, Convert.ToDouble(r.GetValue(7), CultureInfo.InvariantCulture), r.GetDouble(8), r.GetDouble(9));
                }
            }
        }

        var classes = await c.QueryAsync<(string Child, long Minute, string Name, object Count)>(
            $"SELECT {child}, bucket_start, class_name, SUM(count) FROM station_bucket_classes WHERE {where} GROUP BY {child}, bucket_start, class_name",
            new DynamicParameters(args), tx).ConfigureAwait(false);
        foreach (var k in classes)
        {
            Series(children, k.Child).At(k.Minute).AddClass(k.Name, Convert.ToInt64(k.Count, CultureInfo.InvariantCulture));
        }

        return children;
    }

    private static async Task<IReadOnlyList<LiveEvent>> EventsAsync(DbConnection c, DbTransaction tx, MetricsScope scope, int limit)
    {
        var (filter, args) = Filter(scope);
        args["limit"] = (long)limit;
        var rows = await c.QueryAsync<(string Edge, long Seq, string Plant, string Line, string Station, long Time, string Kind, double Score, string? Class, string Model, string Version)>(
            $"""
            SELECT edge_id, seq, plant_id, line_id, station_id, time_utc, kind, score, class_name, model_name, model_version FROM events
            WHERE {filter} ORDER BY time_utc DESC, edge_id, seq LIMIT @limit
            """,
            new DynamicParameters(args), tx).ConfigureAwait(false);
        return rows.Select(e => new LiveEvent(e.Edge, e.Seq, e.Plant, e.Line, e.Station, DateTimeOffset.FromUnixTimeMilliseconds(e.Time), e.Kind, e.Score, e.Class, e.Model, e.Version)).ToList();
    }

    private static (string Where, Dictionary<string, object?> Args) Filter(MetricsScope scope)
    {
        var args = new Dictionary<string, object?> { ["c"] = scope.CompanyId };
        var sb = new StringBuilder("company_id = @c");
        foreach (var (column, name, value) in new[] { ("plant_id", "p", scope.PlantId), ("line_id", "l", scope.LineId), ("station_id", "s", scope.StationId) })
        {
            if (value is not null)
            {
                sb.Append(" AND ").Append(column).Append(" = @").Append(name);
                args[name] = value;
            }
        }

        return (sb.ToString(), args);
    }

    private static KpiSeries Series(Dictionary<string, KpiSeries> children, string child)
    {
        if (!children.TryGetValue(child, out var series))
        {
            children[child] = series = new KpiSeries();
        }

        return series;
    }

    private static long Long(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
}
