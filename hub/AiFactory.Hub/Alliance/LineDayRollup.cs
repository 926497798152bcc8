using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// Sums the hour buckets of every line into one row per line and UTC day (<c>alliance_line_days</c>), which benchmarks
/// read instead of the hour buckets (10,000 lines × 30 days are 300,000 rows, not 7.2 million). A day is recomputed
/// whole (delete, then insert the sums), so rolling a day again, after late uploads, is exact and idempotent.
/// </summary>
public sealed class LineDayRollup(HubDatabase database)
{
    public const long DaySeconds = 86_400;

    /// <summary>Recomputes the days from the one holding <paramref name="from"/> up to, not including, the one holding <paramref name="to"/>.</summary>
    /// <returns>The number of line-day rows written.</returns>
    public Task<int> RollAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var first = DayStart(from);
        var end = DayStart(to);
        var sums = string.Join(", ", BucketColumns.Latency.Select(c => $"SUM({c})"));
        var columns = string.Join(", ", BucketColumns.Latency);
        return database.WriteAsync(
            async (c, tx) =>
            {
                await c.ExecuteAsync("DELETE FROM alliance_line_days WHERE day_start >= @first AND day_start < @end", new { first, end }, tx).ConfigureAwait(false);
                return await c.ExecuteAsync(
                    $"""
                    INSERT INTO alliance_line_days (company_id, plant_id, line_id, day_start, frames, pass_count, fail_count, anomalies, {columns})
                    SELECT company_id, plant_id, line_id, (bucket_start / {DaySeconds}) * {DaySeconds}, SUM(frames), SUM(pass_count), SUM(fail_count), SUM(anomalies), {sums}
                    FROM station_buckets WHERE granularity = 3600 AND bucket_start >= @first AND bucket_start < @end
                    GROUP BY company_id, plant_id, line_id, (bucket_start / {DaySeconds}) * {DaySeconds}
                    """,
                    new { first, end }, tx, commandTimeout: 600).ConfigureAwait(false);
            },
            ct);
    }

    public static long DayStart(DateTimeOffset t)
    {
        var s = t.ToUnixTimeSeconds();
        return s - (((s % DaySeconds) + DaySeconds) % DaySeconds);
    }
}
