using System.Data.Common;
using System.Text.Json;
using AiFactory.Contracts;
using AiFactory.Hub.Storage;
using AiFactory.Hub.Tenancy;
using Dapper;

namespace AiFactory.Hub.Ingest;

/// <summary>
/// Applies a batch in one transaction: lock the edge's row, skip records at or below its high-water mark, add the
/// rest into the 1-minute and 1-hour station buckets (pre-merged per row, then one bulk upsert that adds in SQL),
/// insert events, record the batch key and raise the mark. A retried, replayed or re-cut batch changes nothing twice.
/// </summary>
public sealed class SqlBatchAggregator : IBatchAggregator
{
    private static readonly long[] Granularities = [60, 3600];
    private readonly HubDatabase _database;
    private readonly TimeProvider _time;
    private readonly BulkUpsert _buckets;
    private readonly BulkUpsert _classes;
    private readonly BulkUpsert _quality;
    private readonly BulkUpsert _events;
    private readonly BulkUpsert _raw;

    public SqlBatchAggregator(HubDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
        var key = BucketColumns.Key.Select((name, i) => new UpsertColumn(name, i is 4 or 5 ? UpsertType.Long : UpsertType.Text, UpsertMerge.Key)).ToList();
        var bucket = new List<UpsertColumn>(key);
        bucket.AddRange(new[] { "frames", "pass_count", "fail_count", "anomalies" }.Select(Add));
        foreach (var (prefix, columns) in new[] { ("score", BucketColumns.Score), ("lat", BucketColumns.Latency) })
        {
            bucket.Add(Add($"{prefix}_count"));
            bucket.Add(new UpsertColumn($"{prefix}_sum", UpsertType.Double, UpsertMerge.Add));
            bucket.Add(new UpsertColumn($"{prefix}_min", UpsertType.NullableDouble, UpsertMerge.Min));
            bucket.Add(new UpsertColumn($"{prefix}_max", UpsertType.NullableDouble, UpsertMerge.Max));
            bucket.AddRange(columns.Select(Add));
        }

        _buckets = new BulkUpsert(database, "station_buckets", bucket);
        _classes = new BulkUpsert(database, "station_bucket_classes", [.. key, new("class_name", UpsertType.Text, UpsertMerge.Key), Add("count")]);
        _quality = new BulkUpsert(database, "station_bucket_quality",
            [.. key, new("tag", UpsertType.Text, UpsertMerge.Key), .. new[] { "stale", "out_of_range", "nan", "gaps", "decode_errors" }.Select(Add)]);
        _raw = new BulkUpsert(database, "raw_chunks",
        [
            new("edge_id", UpsertType.Text, UpsertMerge.Key), new("seq", UpsertType.Long, UpsertMerge.Key),
            .. new[] { "company_id", "plant_id", "line_id", "station_id" }.Select(n => new UpsertColumn(n, UpsertType.Text, UpsertMerge.Keep)),
            new("first_time_utc", UpsertType.Long, UpsertMerge.Keep), new("last_time_utc", UpsertType.Long, UpsertMerge.Keep),
            new("row_count", UpsertType.Long, UpsertMerge.Keep), new("chunk", UpsertType.Text, UpsertMerge.Keep),
        ]);
        _events = new BulkUpsert(database, "events",
        [
            new("edge_id", UpsertType.Text, UpsertMerge.Key), new("seq", UpsertType.Long, UpsertMerge.Key),
            .. new[] { "company_id", "plant_id", "line_id", "station_id" }.Select(n => new UpsertColumn(n, UpsertType.Text, UpsertMerge.Keep)),
            new("time_utc", UpsertType.Long, UpsertMerge.Keep), new("kind", UpsertType.Text, UpsertMerge.Keep), new("score", UpsertType.Double, UpsertMerge.Keep),
            new("class_name", UpsertType.NullableText, UpsertMerge.Keep), new("model_name", UpsertType.Text, UpsertMerge.Keep), new("model_version", UpsertType.Text, UpsertMerge.Keep),
        ]);
    }

    public Task<IngestOutcome> ApplyAsync(HubCaller edge, UplinkBatch batch, CancellationToken cancellationToken) =>
        _database.WriteAsync(async (c, tx) =>
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var highWater = await c.ExecuteScalarAsync<long?>(
                "SELECT high_water FROM edges WHERE id = @id" + _database.ForUpdate, new { id = edge.EdgeId }, tx).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"edge '{edge.EdgeId}' has a key but no row.");
            var fresh = batch.Records.Where(r => r.Sequence > highWater).ToList();
            var duplicates = batch.Records.Count - fresh.Count;
            if (fresh.Count > 0)
            {
                await WriteAggregatesAsync(c, tx, Aggregate(fresh), cancellationToken).ConfigureAwait(false);
                await _events.ExecuteAsync(c, tx, EventRows(edge.EdgeId!, fresh), cancellationToken).ConfigureAwait(false);
                await _raw.ExecuteAsync(c, tx, RawRows(edge.EdgeId!, fresh), cancellationToken).ConfigureAwait(false);
            }

            var newHighWater = Math.Max(highWater, batch.LastSequence);
            await c.ExecuteAsync(
                "INSERT INTO ingest_batches (edge_id, first_seq, last_seq, received_utc, applied, duplicates) VALUES (@e, @f, @l, @t, @a, @d) ON CONFLICT DO NOTHING",
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

    private static UpsertColumn Add(string name) => new(name, UpsertType.Long, UpsertMerge.Add);

    private static SortedDictionary<BucketKey, BucketDelta> Aggregate(List<UplinkRecord> records)
    {
        // Sorted: every transaction touches rows in one order, so concurrent batches queue instead of deadlocking.
        var deltas = new SortedDictionary<BucketKey, BucketDelta>(KeyOrder.Instance);
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

    private async Task WriteAggregatesAsync(DbConnection c, DbTransaction tx, SortedDictionary<BucketKey, BucketDelta> deltas, CancellationToken ct)
    {
        var buckets = _buckets.NewRows(deltas.Count);
        var classes = _classes.NewRows(4);
        var quality = _quality.NewRows(4);
        foreach (var (key, d) in deltas)
        {
            var r = buckets.Add();
            var col = SetKey(buckets, r, key);
            buckets.Long(r, col++, d.Frames);
            buckets.Long(r, col++, d.Pass);
            buckets.Long(r, col++, d.Fail);
            buckets.Long(r, col++, d.Anomalies);
            col = SetHistogram(buckets, r, col, d.Scores);
            SetHistogram(buckets, r, col, d.LatencyMs);
            foreach (var (name, count) in d.Classes.Where(p => p.Value > 0).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var cr = classes.Add();
                var cc = SetKey(classes, cr, key);
                classes.Text(cr, cc++, name);
                classes.Long(cr, cc, count);
            }

            foreach (var (tag, sums) in d.Quality.Where(p => p.Value.Any(v => v > 0)).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var qr = quality.Add();
                var qc = SetKey(quality, qr, key);
                quality.Text(qr, qc++, tag);
                foreach (var sum in sums)
                {
                    quality.Long(qr, qc++, sum);
                }
            }
        }

        await _buckets.ExecuteAsync(c, tx, buckets, ct).ConfigureAwait(false);
        await _classes.ExecuteAsync(c, tx, classes, ct).ConfigureAwait(false);
        await _quality.ExecuteAsync(c, tx, quality, ct).ConfigureAwait(false);
    }

    /// <summary>Writes the eight key columns; answers the next column.</summary>
    private static int SetKey(UpsertRows rows, int r, BucketKey k)
    {
        rows.Text(r, 0, k.CompanyId);
        rows.Text(r, 1, k.PlantId);
        rows.Text(r, 2, k.LineId);
        rows.Text(r, 3, k.StationId);
        rows.Long(r, 4, k.Granularity);
        rows.Long(r, 5, k.BucketStart);
        rows.Text(r, 6, k.ModelName);
        rows.Text(r, 7, k.ModelVersion);
        return 8;
    }

    /// <summary>Writes count, sum, min, max and every bucket's count; answers the next column.</summary>
    private static int SetHistogram(UpsertRows rows, int r, int col, MergeableHistogram h)
    {
        rows.Long(r, col++, h.Count);
        rows.Double(r, col++, h.Sum);
        rows.NullableDouble(r, col++, h.Count == 0 ? null : h.Min);
        rows.NullableDouble(r, col++, h.Count == 0 ? null : h.Max);
        var counts = h.Counts;
        for (var i = 0; i < counts.Count; i++)
        {
            rows.Long(r, col++, counts[i]);
        }

        return col;
    }

    private static List<object?[]> RawRows(string edgeId, List<UplinkRecord> records) =>
        records.Where(r => r.Raw is not null).Select(r =>
        {
            var raw = r.Raw!;
            return new object?[]
            {
                edgeId, r.Sequence, raw.CompanyId, raw.PlantId, raw.LineId, raw.StationId,
                raw.Rows.Min(x => x.Time).ToUnixTimeMilliseconds(), raw.Rows.Max(x => x.Time).ToUnixTimeMilliseconds(), (long)raw.Rows.Count,
                JsonSerializer.Serialize(raw, AiFactoryJsonContext.Default.StationRawChunk),
            };
        }).ToList();

    private static List<object?[]> EventRows(string edgeId, List<UplinkRecord> records) =>
        records.Where(r => r.Event is not null).Select(r =>
        {
            var e = r.Event!;
            return new object?[]
            {
                edgeId, r.Sequence, e.CompanyId, e.PlantId, e.LineId, e.StationId, e.TimeUtc.ToUnixTimeMilliseconds(), e.Kind, e.Score, e.Class, e.ModelName, e.ModelVersion,
            };
        }).ToList();

    private sealed class KeyOrder : IComparer<BucketKey>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(BucketKey x, BucketKey y)
        {
            var c = string.CompareOrdinal(x.CompanyId, y.CompanyId);
            c = c != 0 ? c : string.CompareOrdinal(x.PlantId, y.PlantId);
            c = c != 0 ? c : string.CompareOrdinal(x.LineId, y.LineId);
            c = c != 0 ? c : string.CompareOrdinal(x.StationId, y.StationId);
            c = c != 0 ? c : x.Granularity.CompareTo(y.Granularity);
            c = c != 0 ? c : x.BucketStart.CompareTo(y.BucketStart);
            c = c != 0 ? c : string.CompareOrdinal(x.ModelName, y.ModelName);
            return c != 0 ? c : string.CompareOrdinal(x.ModelVersion, y.ModelVersion);
        }
    }
}
