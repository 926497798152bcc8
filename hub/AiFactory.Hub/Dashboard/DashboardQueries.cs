using AiFactory.Hub.Live;
using AiFactory.Hub.Queries;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// The dashboard's reads that the live grains do not hold: data-quality problems per station of a line, and a
/// station's minutes with their scores (the grains keep verdicts and latency, not scores).
/// </summary>
public sealed class DashboardQueries(HubDatabase database)
{
    /// <summary>Every company (for a hub admin, who belongs to none).</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> CompaniesAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<(string, string)>("SELECT id, name FROM companies ORDER BY id").ConfigureAwait(false)).ToList();
    }

    /// <summary>Data-quality problems (stale, out of range, NaN, gaps, decode errors) per station of a line since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> DataQualityAsync(MetricsScope line, DateTimeOffset since, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Station, long? Problems)>(
            """
            SELECT station_id, CAST(SUM(stale + out_of_range + nan + gaps + decode_errors) AS BIGINT) FROM station_bucket_quality
            WHERE company_id = @c AND plant_id = @p AND line_id = @l AND granularity = 60 AND bucket_start >= @since
            GROUP BY station_id
            """,
            new { c = line.CompanyId, p = line.PlantId, l = line.LineId, since = KpiSeries.MinuteOf(since) }).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Station, r => r.Problems ?? 0, StringComparer.Ordinal);
    }

    /// <summary>A station's minutes since <paramref name="since"/>, oldest first, summed over models.</summary>
    public async Task<IReadOnlyList<StationMinute>> MinutesAsync(MetricsScope station, DateTimeOffset since, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(long Start, long Frames, long Pass, long Fail, long Anomalies, long Count, double Sum, double? Max)>(
            """
            SELECT bucket_start, CAST(SUM(frames) AS BIGINT), CAST(SUM(pass_count) AS BIGINT), CAST(SUM(fail_count) AS BIGINT), CAST(SUM(anomalies) AS BIGINT),
                CAST(SUM(score_count) AS BIGINT), SUM(score_sum), MAX(score_max)
            FROM station_buckets
            WHERE company_id = @c AND plant_id = @p AND line_id = @l AND station_id = @s AND granularity = 60 AND bucket_start >= @since
            GROUP BY bucket_start ORDER BY bucket_start
            """,
            new { c = station.CompanyId, p = station.PlantId, l = station.LineId, s = station.StationId, since = KpiSeries.MinuteOf(since) }).ConfigureAwait(false);
        return rows.Select(r => new StationMinute(
            DateTimeOffset.FromUnixTimeSeconds(r.Start), r.Frames, r.Pass, r.Fail, r.Anomalies, r.Count == 0 ? null : r.Sum / r.Count, r.Count == 0 ? null : r.Max)).ToList();
    }
}
