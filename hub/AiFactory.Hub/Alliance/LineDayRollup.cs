using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// Sums the hour buckets and the stations' drift figures of every line into one row per line and UTC day, and those
/// into aligned spans of up to <see cref="LineSpans.MaxSpanDays"/> days (<c>alliance_line_spans</c>, <see cref="LineSpans"/>),
/// which benchmarks read instead of the hour buckets. Each row carries its line's process type and product family
/// (a line not tagged yet: empty), which <see cref="AllianceStore.TagLineAsync"/> rewrites when the tag changes. A day
/// is recomputed whole (delete, then insert the sums), and so is every span that holds it, so rolling a day again,
/// after late uploads, is exact and idempotent.
/// </summary>
public sealed class LineDayRollup(HubDatabase database)
{
    public const long DaySeconds = 86_400;

    private static readonly string DaySums = string.Join(", ", LineSpans.Sums.Select(c => $"SUM(x.{c})"));

    private static readonly string Days = $"""
        INSERT INTO alliance_line_spans ({LineSpans.Columns})
        SELECT COALESCE(lp.process_type, ''), 1, x.day_start, x.company_id, x.plant_id, x.line_id, COALESCE(lp.product_family, ''), {DaySums}
        FROM (
            SELECT company_id, plant_id, line_id, (bucket_start / {DaySeconds}) * {DaySeconds} AS day_start, frames, pass_count, fail_count, anomalies,
                CAST(0 AS DOUBLE PRECISION) AS drift_sum, CAST(0 AS BIGINT) AS drift_reports, {string.Join(", ", BucketColumns.Latency)}
            FROM station_buckets WHERE granularity = 3600 AND bucket_start >= @first AND bucket_start < @end
            UNION ALL
            SELECT company_id, plant_id, line_id, (hour_start / {DaySeconds}) * {DaySeconds}, 0, 0, 0, 0, psi_sum, reports, {string.Join(", ", BucketColumns.Latency.Select(_ => "0"))}
            FROM station_drift_hours WHERE hour_start >= @first AND hour_start < @end
        ) x
        LEFT JOIN line_processes lp ON lp.company_id = x.company_id AND lp.plant_id = x.plant_id AND lp.line_id = x.line_id
        GROUP BY x.company_id, x.plant_id, x.line_id, x.day_start, lp.process_type, lp.product_family
        """;

    /// <summary>Recomputes the days from the one holding <paramref name="from"/> up to, not including, the one holding <paramref name="to"/>, and the spans that hold them.</summary>
    /// <returns>The number of line-day rows written.</returns>
    public Task<int> RollAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var first = DayStart(from);
        var end = DayStart(to);
        return database.WriteAsync(
            async (c, tx) =>
            {
                if (database.Provider == DatabaseProvider.PostgreSql)
                {
                    // A line re-tagged while this runs waits for it, then re-tags the rows written here too.
                    await c.ExecuteAsync("LOCK TABLE line_processes IN SHARE MODE", transaction: tx).ConfigureAwait(false);
                }

                await c.ExecuteAsync("DELETE FROM alliance_line_spans WHERE span_days = 1 AND day_start >= @first AND day_start < @end", new { first, end }, tx).ConfigureAwait(false);
                var rows = await c.ExecuteAsync(Days, new { first, end }, tx, commandTimeout: 600).ConfigureAwait(false);
                foreach (var days in LineSpans.Sizes.Skip(1))
                {
                    var span = days * DaySeconds;
                    var lo = Math.DivRem(first, span).Quotient * span;
                    var hi = (Math.DivRem(end + span - 1, span).Quotient) * span;
                    await c.ExecuteAsync("DELETE FROM alliance_line_spans WHERE span_days = @days AND day_start >= @lo AND day_start < @hi", new { days = (long)days, lo, hi }, tx).ConfigureAwait(false);
                    await c.ExecuteAsync(LineSpans.SumHalves(days, ranged: true), new { lo, hi }, tx, commandTimeout: 600).ConfigureAwait(false);
                }

                return rows;
            },
            ct);
    }

    public static long DayStart(DateTimeOffset t)
    {
        var s = t.ToUnixTimeSeconds();
        return s - (((s % DaySeconds) + DaySeconds) % DaySeconds);
    }
}
