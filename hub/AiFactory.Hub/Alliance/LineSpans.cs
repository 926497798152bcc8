using System.Globalization;
using System.Text;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Alliance;

/// <summary>
/// The layout of <c>alliance_line_spans</c>, the roll-up benchmarks read: one row per line and aligned span of 1, 2, 4 …
/// <see cref="MaxSpanDays"/> UTC days (a span of n days starts on a day number divisible by n), keyed by the line's
/// process type first. Any period of whole days is a few such spans (<see cref="Cover"/>: at most two per size, 4 for
/// 30 days from 1 November), so a benchmark reads a few rows per line, each span's rows of one process type lying
/// together in the key, instead of one row per line and day.
/// </summary>
public static class LineSpans
{
    /// <summary>The longest span; a benchmark period is at most 366 days.</summary>
    public const int MaxSpanDays = 256;

    /// <summary>Span sizes from 1 day up to <see cref="MaxSpanDays"/>.</summary>
    public static IEnumerable<int> Sizes
    {
        get
        {
            for (var s = 1; s <= MaxSpanDays; s *= 2)
            {
                yield return s;
            }
        }
    }

    /// <summary>The summed columns, in table order (counts, drift, latency histogram).</summary>
    public static IReadOnlyList<string> Sums { get; } =
        ["frames", "pass_count", "fail_count", "anomalies", "drift_sum", "drift_reports", .. BucketColumns.Latency];

    /// <summary>Every column, in table order.</summary>
    public static string Columns { get; } = "process_type, span_days, day_start, company_id, plant_id, line_id, product_family, " + string.Join(", ", Sums);

    /// <summary>The aligned spans, largest first where they fit, that cover the days [fromDay, toDay) exactly (starts in Unix seconds).</summary>
    public static List<(int Days, long Start)> Cover(long fromDay, long toDay)
    {
        var spans = new List<(int, long)>();
        var day = fromDay / LineDayRollup.DaySeconds;
        var end = toDay / LineDayRollup.DaySeconds;
        while (day < end)
        {
            var size = MaxSpanDays;
            while (day % size != 0 || day + size > end)
            {
                size /= 2;
            }

            spans.Add((size, day * LineDayRollup.DaySeconds));
            day += size;
        }

        return spans;
    }

    /// <summary>CREATE TABLE and indexes (<paramref name="options"/>: " WITHOUT ROWID" on SQLite, so the key is the table's order).</summary>
    public static string CreateTable(string options)
    {
        var sb = new StringBuilder();
        sb.AppendLine("CREATE TABLE alliance_line_spans (process_type TEXT NOT NULL, span_days BIGINT NOT NULL, day_start BIGINT NOT NULL,");
        sb.AppendLine("    company_id TEXT NOT NULL, plant_id TEXT NOT NULL, line_id TEXT NOT NULL, product_family TEXT NOT NULL,");
        sb.AppendLine("    frames BIGINT NOT NULL, pass_count BIGINT NOT NULL, fail_count BIGINT NOT NULL, anomalies BIGINT NOT NULL,");
        sb.AppendLine("    drift_sum DOUBLE PRECISION NOT NULL, drift_reports BIGINT NOT NULL,");
        sb.Append("    ").AppendJoin(", ", BucketColumns.Latency.Select(c => c + " BIGINT NOT NULL")).AppendLine(",");
        sb.Append("    PRIMARY KEY (process_type, span_days, day_start, company_id, plant_id, line_id))").Append(options).AppendLine(";");
        sb.AppendLine("CREATE INDEX alliance_line_spans_by_day ON alliance_line_spans (span_days, day_start);");
        sb.AppendLine("CREATE INDEX alliance_line_spans_by_line ON alliance_line_spans (company_id, plant_id, line_id);");
        return sb.ToString();
    }

    /// <summary>
    /// Sums the spans of <paramref name="days"/>/2 days into spans of <paramref name="days"/> days; with
    /// <paramref name="ranged"/>, only those starting in [@lo, @hi), which must be aligned to <paramref name="days"/>.
    /// </summary>
    public static string SumHalves(int days, bool ranged)
    {
        var span = (days * LineDayRollup.DaySeconds).ToString(CultureInfo.InvariantCulture);
        var block = $"(day_start / {span}) * {span}";
        var range = ranged ? " AND day_start >= @lo AND day_start < @hi" : string.Empty;
        return $"""
            INSERT INTO alliance_line_spans ({Columns})
            SELECT process_type, {days}, {block}, company_id, plant_id, line_id, product_family, {string.Join(", ", Sums.Select(c => $"SUM({c})"))}
            FROM alliance_line_spans WHERE span_days = {days / 2}{range}
            GROUP BY process_type, {block}, company_id, plant_id, line_id, product_family
            """;
    }
}
