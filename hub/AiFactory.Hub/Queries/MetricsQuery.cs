using System.Data.Common;
using System.Text;
using AiFactory.Contracts;
using AiFactory.Hub.Hosting;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Queries;

/// <summary>
/// Reads a scope's metrics from the station buckets: counters are summed in SQL and histograms are merged bucket by
/// bucket, so a line, plant or company is exactly the sum of its stations.
/// </summary>
public sealed class MetricsQuery(HubDatabase database)
{
    /// <exception cref="HubProblemException">422 when the scope's sums over the range do not fit a 64-bit count.</exception>
    public async Task<MetricsResponse> RunAsync(MetricsScope scope, DateTimeOffset from, DateTimeOffset to, long granularity, CancellationToken ct)
    {
        try
        {
            return await ReadAsync(scope, from, to, granularity, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OverflowException || (ex is DbException db && (db.SqlState == "22003" || db.Message.Contains("integer overflow", StringComparison.Ordinal))))
        {
            throw new HubProblemException(422, "Totals out of range",
                $"the counts of {scope.Describe()} from {from:O} to {to:O} add up to more than a 64-bit count holds; query a narrower range or scope.");
        }
    }

    private async Task<MetricsResponse> ReadAsync(MetricsScope scope, DateTimeOffset from, DateTimeOffset to, long granularity, CancellationToken ct)
    {
        var fromS = Floor(from.ToUnixTimeSeconds(), granularity);
        var toS = to.ToUnixTimeSeconds();
        var (where, args) = Where(scope, granularity, fromS, toS);
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var series = new List<MetricsPoint>();
        var totalScores = StandardHistograms.NewScore();
        var totalLatency = StandardHistograms.NewLatencyMs();
        long frames = 0, pass = 0, fail = 0, anomalies = 0;
        await using (var cmd = Command(c, SeriesSql(where), args))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var f = Long(r, 1);
                var p = Long(r, 2);
                var fl = Long(r, 3);
                var a = Long(r, 4);
                var scores = ReadHistogram(r, 5, StandardHistograms.ScoreBounds);
                var latency = ReadHistogram(r, 5 + 4 + BucketColumns.Score.Count, StandardHistograms.LatencyMsBounds);
                totalScores.Merge(scores);
                totalLatency.Merge(latency);
                frames = checked(frames + f);
                pass = checked(pass + p);
                fail = checked(fail + fl);
                anomalies = checked(anomalies + a);
                series.Add(new MetricsPoint(DateTimeOffset.FromUnixTimeSeconds(Long(r, 0)), f, p, fl, a, Ratio(p, checked(p + fl)), Pct(latency, 0.99)));
            }
        }

        var classes = (await c.QueryAsync<(string Name, object Count)>(
            $"SELECT class_name, SUM(count) FROM station_bucket_classes WHERE {where} GROUP BY class_name ORDER BY class_name", new DynamicParameters(args)).ConfigureAwait(false))
            .ToDictionary(x => x.Name, x => Convert.ToInt64(x.Count, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var quality = (await c.QueryAsync<(string Tag, object S, object O, object N, object G, object D)>(
            $"SELECT tag, SUM(stale), SUM(out_of_range), SUM(nan), SUM(gaps), SUM(decode_errors) FROM station_bucket_quality WHERE {where} GROUP BY tag ORDER BY tag", new DynamicParameters(args)).ConfigureAwait(false))
            .Select(q => new DataQualityCounters(q.Tag, L(q.S), L(q.O), L(q.N), L(q.G), L(q.D))).ToList();
        var minutes = Math.Max(1.0, (toS - fromS) / 60.0);
        var totals = new MetricsTotals(
            frames, pass, fail, Ratio(pass, checked(pass + fail)), anomalies, Ratio(anomalies, frames), frames / minutes,
            totalScores.Count == 0 ? null : totalScores.Sum / totalScores.Count,
            Pct(totalLatency, 0.50), Pct(totalLatency, 0.95), Pct(totalLatency, 0.99));
        return new MetricsResponse(
            scope, DateTimeOffset.FromUnixTimeSeconds(fromS), to, granularity == 60 ? "minute" : "hour", totals, classes,
            classes.ToDictionary(p => p.Key, p => frames == 0 ? 0 : (double)p.Value / frames, StringComparer.Ordinal), quality, series);
    }

    private static (string Where, Dictionary<string, object?> Args) Where(MetricsScope scope, long granularity, long from, long to)
    {
        var args = new Dictionary<string, object?> { ["c"] = scope.CompanyId, ["g"] = granularity, ["f"] = from, ["t"] = to };
        var sb = new StringBuilder("company_id = @c AND granularity = @g AND bucket_start >= @f AND bucket_start < @t");
        if (scope.PlantId is not null)
        {
            sb.Append(" AND plant_id = @p");
            args["p"] = scope.PlantId;
        }

        if (scope.LineId is not null)
        {
            sb.Append(" AND line_id = @l");
            args["l"] = scope.LineId;
        }

        if (scope.StationId is not null)
        {
            sb.Append(" AND station_id = @s");
            args["s"] = scope.StationId;
        }

        return (sb.ToString(), args);
    }

    private static string SeriesSql(string where)
    {
        var sb = new StringBuilder("SELECT bucket_start, SUM(frames), SUM(pass_count), SUM(fail_count), SUM(anomalies)");
        foreach (var (prefix, columns) in new[] { ("score", BucketColumns.Score), ("lat", BucketColumns.Latency) })
        {
            sb.Append($", SUM({prefix}_count), SUM({prefix}_sum), MIN({prefix}_min), MAX({prefix}_max)");
            foreach (var column in columns)
            {
                sb.Append(", SUM(").Append(column).Append(')');
            }
        }

        return sb.Append(" FROM station_buckets WHERE ").Append(where).Append(" GROUP BY bucket_start ORDER BY bucket_start").ToString();
    }

    /// <summary>A command with named parameters (@name), in <paramref name="tx"/> when given.</summary>
    internal static DbCommand Command(DbConnection c, string sql, Dictionary<string, object?> args, DbTransaction? tx = null)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    private static MergeableHistogram ReadHistogram(DbDataReader r, int at, IReadOnlyList<double> bounds)
    {
        // The count is what the buckets add up to: a counter column that saturated (BulkUpsert.MaxCounter) may
        // disagree with them, and the buckets are what percentiles are read from.
        var counts = new long[bounds.Count + 1];
        long count = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Long(r, at + 4 + i);
            count = checked(count + counts[i]);
        }

        return MergeableHistogram.FromData(new HistogramData(
            bounds, counts, count == 0 ? 0 : Convert.ToDouble(r.GetValue(at + 1), System.Globalization.CultureInfo.InvariantCulture), count,
            count == 0 || r.IsDBNull(at + 2) ? null : r.GetDouble(at + 2), count == 0 || r.IsDBNull(at + 3) ? null : r.GetDouble(at + 3)));
    }

    private static long Long(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : L(r.GetValue(i));

    private static long L(object value) => value is DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;

    private static double? Pct(MergeableHistogram h, double q) => h.Count == 0 ? null : h.Percentile(q);

    private static long Floor(long seconds, long granularity) => seconds - (((seconds % granularity) + granularity) % granularity);
}
