using System.Data.Common;
using System.Text;
using AiFactory.Contracts;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Dapper;

namespace AiFactory.Hub.Ingest;

/// <summary>
/// Applies a batch in one transaction: lock the edge's row, skip records at or below its high-water mark, add the
/// rest into the 1-minute and 1-hour station buckets (pre-merged per row, then one multi-row upsert that adds in SQL),
/// insert events, record the batch key and raise the mark. A retried, replayed or re-cut batch changes nothing twice.
/// </summary>
public sealed class SqlBatchAggregator(HubDatabase database, TimeProvider time) : IBatchAggregator
{
    private const int RowsPerStatement = 200;
    private static readonly long[] Granularities = [60, 3600];
    private static readonly string[] CountColumns = ["frames", "pass_count", "fail_count", "anomalies"];

    public Task<IngestOutcome> ApplyAsync(HubCaller edge, UplinkBatch batch, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, tx) =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var highWater = await c.ExecuteScalarAsync<long?>(
                "SELECT high_water FROM edges WHERE id = @id" + database.ForUpdate, new { id = edge.EdgeId }, tx).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"edge '{edge.EdgeId}' has a key but no row.");
            var fresh = batch.Records.Where(r => r.Sequence > highWater).ToList();
            var duplicates = batch.Records.Count - fresh.Count;
            if (fresh.Count > 0)
            {
                await UpsertBucketsAsync(c, tx, Aggregate(fresh)).ConfigureAwait(false);
                await InsertEventsAsync(c, tx, edge.EdgeId!, fresh).ConfigureAwait(false);
            }

            var newHighWater = Math.Max(highWater, batch.LastSequence);
            await c.ExecuteAsync(
                DialectInsertIgnore("INSERT INTO ingest_batches (edge_id, first_seq, last_seq, received_utc, applied, duplicates) VALUES (@e, @f, @l, @t, @a, @d)"),
                new { e = edge.EdgeId, f = batch.FirstSequence, l = batch.LastSequence, t = now, a = (long)fresh.Count, d = (long)duplicates }, tx).ConfigureAwait(false);
            var o = batch.Outbox;

            // Only a batch that is not older than what was applied reports the outbox; a replay must not roll it back.
            var reportsOutbox = batch.LastSequence >= highWater;
            await c.ExecuteAsync(
                reportsOutbox
                    ? """
                      UPDATE edges SET high_water = @hw, last_seen_utc = @t, batches = batches + 1, records = records + @a,
                        duplicate_records = duplicate_records + @d, backlog_records = @br, backlog_bytes = @bb, oldest_backlog_utc = @ob,
                        dropped_oldest = @dro, rejected_new = @rn, quarantined = @q
                      WHERE id = @e
                      """
                    : "UPDATE edges SET last_seen_utc = @t, batches = batches + 1, duplicate_records = duplicate_records + @d WHERE id = @e",
                new
                {
                    e = edge.EdgeId, hw = newHighWater, t = now, a = (long)fresh.Count, d = (long)duplicates,
                    br = o.BacklogRecords, bb = o.BacklogBytes, ob = o.OldestRecordUtc?.ToUnixTimeMilliseconds(),
                    dro = o.DroppedOldest, rn = o.RejectedNew, q = o.Quarantined,
                },
                tx).ConfigureAwait(false);
            return new IngestOutcome(new UplinkAck(edge.EdgeId!, newHighWater, fresh.Count, duplicates), fresh);
        }, cancellationToken);

    private static Dictionary<BucketKey, BucketDelta> Aggregate(List<UplinkRecord> records)
    {
        var deltas = new Dictionary<BucketKey, BucketDelta>();
        foreach (var s in records.Select(r => r.Summary).OfType<StationWindowSummary>())
        {
            var start = s.WindowStartUtc.ToUnixTimeSeconds();
            foreach (var g in Granularities)
            {
                var key = new BucketKey(s.CompanyId, s.PlantId, s.LineId, s.StationId, g, start - (((start % g) + g) % g), s.ModelName, s.ModelVersion);
                if (!deltas.TryGetValue(key, out var delta))
                {
                    deltas[key] = delta = new BucketDelta();
                }

                delta.Add(s);
            }
        }

        return deltas;
    }

    private async Task UpsertBucketsAsync(DbConnection c, DbTransaction tx, Dictionary<BucketKey, BucketDelta> deltas)
    {
        var rows = deltas.ToList();
        for (var i = 0; i < rows.Count; i += RowsPerStatement)
        {
            var chunk = rows.GetRange(i, Math.Min(RowsPerStatement, rows.Count - i));
            await ExecuteRowsAsync(c, tx, BucketSql(chunk.Count), chunk.Select(BucketValues)).ConfigureAwait(false);
        }

        var classes = rows.SelectMany(r => r.Value.Classes.Where(p => p.Value > 0).Select(p => KeyValues(r.Key).Append(p.Key).Append(p.Value).ToArray())).ToList();
        var quality = rows.SelectMany(r => r.Value.Quality.Where(p => p.Value.Any(v => v > 0))
            .Select(p => KeyValues(r.Key).Append(p.Key).Concat(p.Value.Cast<object>()).ToArray())).ToList();
        for (var i = 0; i < classes.Count; i += RowsPerStatement)
        {
            var chunk = classes.GetRange(i, Math.Min(RowsPerStatement, classes.Count - i));
            await ExecuteRowsAsync(c, tx, AddingUpsert("station_bucket_classes", ["class_name"], ["count"], chunk.Count), chunk).ConfigureAwait(false);
        }

        for (var i = 0; i < quality.Count; i += RowsPerStatement)
        {
            var chunk = quality.GetRange(i, Math.Min(RowsPerStatement, quality.Count - i));
            await ExecuteRowsAsync(c, tx, AddingUpsert("station_bucket_quality", ["tag"], ["stale", "out_of_range", "nan", "gaps", "decode_errors"], chunk.Count), chunk).ConfigureAwait(false);
        }
    }

    private static object[] KeyValues(BucketKey k) =>
        [k.CompanyId, k.PlantId, k.LineId, k.StationId, k.Granularity, k.BucketStart, k.ModelName, k.ModelVersion];

    private static object[] BucketValues(KeyValuePair<BucketKey, BucketDelta> row)
    {
        var d = row.Value;
        var values = new List<object>(KeyValues(row.Key)) { d.Frames, d.Pass, d.Fail, d.Anomalies };
        AddHistogram(values, d.Scores);
        AddHistogram(values, d.LatencyMs);
        return values.ToArray();
    }

    private static void AddHistogram(List<object> values, MergeableHistogram h)
    {
        values.Add(h.Count);
        values.Add(h.Sum);
        values.Add(h.Count == 0 ? DBNull.Value : h.Min);
        values.Add(h.Count == 0 ? DBNull.Value : h.Max);
        values.AddRange(h.Counts.Cast<object>());
    }

    private string BucketSql(int rowCount)
    {
        var added = CountColumns.Concat(["score_count", "score_sum"]).Concat(BucketColumns.Score)
            .Concat(["lat_count", "lat_sum"]).Concat(BucketColumns.Latency).ToList();
        var columns = BucketColumns.Key.Concat(CountColumns)
            .Concat(["score_count", "score_sum", "score_min", "score_max"]).Concat(BucketColumns.Score)
            .Concat(["lat_count", "lat_sum", "lat_min", "lat_max"]).Concat(BucketColumns.Latency).ToList();
        var sb = new StringBuilder("INSERT INTO station_buckets (").AppendJoin(", ", columns).Append(") VALUES ");
        AppendValues(sb, rowCount, columns.Count);
        sb.Append(" ON CONFLICT (").AppendJoin(", ", BucketColumns.Key).Append(") DO UPDATE SET ");
        sb.AppendJoin(", ", added.Select(a => $"{a} = station_buckets.{a} + excluded.{a}"));
        foreach (var p in new[] { "score", "lat" })
        {
            sb.Append($", {p}_min = {database.Least}(COALESCE(station_buckets.{p}_min, excluded.{p}_min), COALESCE(excluded.{p}_min, station_buckets.{p}_min))");
            sb.Append($", {p}_max = {database.Greatest}(COALESCE(station_buckets.{p}_max, excluded.{p}_max), COALESCE(excluded.{p}_max, station_buckets.{p}_max))");
        }

        return sb.ToString();
    }

    private static string AddingUpsert(string table, string[] extraKey, string[] added, int rowCount)
    {
        var key = BucketColumns.Key.Concat(extraKey).ToList();
        var sb = new StringBuilder("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", key.Concat(added)).Append(") VALUES ");
        AppendValues(sb, rowCount, key.Count + added.Length);
        sb.Append(" ON CONFLICT (").AppendJoin(", ", key).Append(") DO UPDATE SET ")
            .AppendJoin(", ", added.Select(a => $"{a} = {table}.{a} + excluded.{a}"));
        return sb.ToString();
    }

    private static void AppendValues(StringBuilder sb, int rows, int columns)
    {
        var p = 0;
        for (var r = 0; r < rows; r++)
        {
            sb.Append(r == 0 ? "(" : ", (");
            for (var col = 0; col < columns; col++)
            {
                sb.Append(col == 0 ? "@p" : ", @p").Append(p++);
            }

            sb.Append(')');
        }
    }

    private static async Task ExecuteRowsAsync(DbConnection c, DbTransaction tx, string sql, IEnumerable<object[]> rows)
    {
        await using var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        var p = 0;
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{p++}";
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
        }

        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task InsertEventsAsync(DbConnection c, DbTransaction tx, string edgeId, List<UplinkRecord> records)
    {
        var events = records.Where(r => r.Event is not null).ToList();
        for (var i = 0; i < events.Count; i += RowsPerStatement)
        {
            var chunk = events.GetRange(i, Math.Min(RowsPerStatement, events.Count - i));
            var sb = new StringBuilder("INSERT INTO events (edge_id, seq, company_id, plant_id, line_id, station_id, time_utc, kind, score, class_name, model_name, model_version) VALUES ");
            AppendValues(sb, chunk.Count, 12);
            await ExecuteRowsAsync(c, tx, DialectInsertIgnore(sb.ToString()), chunk.Select(r =>
            {
                var e = r.Event!;
                return new object[]
                {
                    edgeId, r.Sequence, e.CompanyId, e.PlantId, e.LineId, e.StationId, e.TimeUtc.ToUnixTimeMilliseconds(), e.Kind, e.Score,
                    (object?)e.Class ?? DBNull.Value, e.ModelName, e.ModelVersion,
                };
            })).ConfigureAwait(false);
        }
    }

    private static string DialectInsertIgnore(string insert) => insert + " ON CONFLICT DO NOTHING";
}
