using System.Data.Common;
using System.Text;
using AiFactory.Contracts;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Queries;

/// <summary>
/// Reads a scope's metrics from the station buckets: counters are summed in SQL and histograms are merged bucket by
/// bucket, so a line, plant or company is exactly the sum of its stations.
/// </summary>
public sealed class MetricsQuery(HubDatabase database)
{
    public async Task<MetricsResponse> RunAsync(MetricsScope scope, DateTimeOffset from, DateTimeOffset to, long granularity, CancellationToken ct)
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
                frames += f;
                pass += p;
                fail += fl;
                anomalies += a;
                series.Add(new MetricsPoint(DateTimeOffset.FromUnixTimeSeconds(Long(r, 0)), f, p, fl, a, Ratio(p, p + fl), Pct(latency, 0.99)));
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
            frames, pass, fail, Ratio(pass, pass + fail), anomalies, Ratio(anomalies, frames), frames / minutes,
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
        var counts = new long[bounds.Count + 1];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Long(r, at + 4 + i);
        }

        var count = Long(r, at);
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
