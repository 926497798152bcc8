using System.Data.Common;
using System.Globalization;
using System.Text;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Alliance;

/// <summary>Reads the lines of a process type with their sums over whole days: a few aligned spans per line (<see cref="LineSpans.Cover"/>).</summary>
public static class LineTotalsReader
{
    /// <param name="alliance">Only lines of the alliance's member companies.</param>
    /// <param name="withLatency">Read the latency histogram too (only model latency needs it).</param>
    public static async Task<List<LineTotals>> ReadAsync(
        DbConnection c, DbTransaction? tx, string alliance, string processType, long fromDay, long toDay, bool withLatency, CancellationToken ct)
    {
        var lines = new List<LineTotals>();
        var spans = LineSpans.Cover(fromDay, toDay);
        if (spans.Count == 0)
        {
            return lines;
        }

        var args = new Dictionary<string, object?> { ["p"] = processType, ["a"] = alliance };
        var where = new StringBuilder();
        for (var i = 0; i < spans.Count; i++)
        {
            where.Append(i == 0 ? string.Empty : " OR ").Append(CultureInfo.InvariantCulture, $"(d.span_days = @n{i} AND d.day_start = @s{i})");
            args[$"n{i}"] = (long)spans[i].Days;
            args[$"s{i}"] = spans[i].Start;
        }

        var latency = withLatency ? ", " + string.Join(", ", BucketColumns.Latency.Select(x => $"SUM(d.{x})")) : string.Empty;
        var sql = $"""
            SELECT d.company_id, d.plant_id, d.line_id, d.product_family, SUM(d.frames), SUM(d.pass_count), SUM(d.fail_count), SUM(d.anomalies),
                SUM(d.drift_sum), SUM(d.drift_reports){latency}
            FROM alliance_line_spans d JOIN alliance_members m ON m.company_id = d.company_id AND m.alliance_id = @a
            WHERE d.process_type = @p AND ({where})
            GROUP BY d.company_id, d.plant_id, d.line_id, d.product_family
            """;
        await using var cmd = Queries.MetricsQuery.Command(c, sql, args, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var width = BucketColumns.Latency.Count;
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var hist = new long[width];
            if (withLatency)
            {
                for (var i = 0; i < width; i++)
                {
                    hist[i] = L(r, 10 + i);
                }
            }

            var drift = r.IsDBNull(8) ? 0 : Convert.ToDouble(r.GetValue(8), CultureInfo.InvariantCulture);
            lines.Add(new LineTotals(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), L(r, 4), L(r, 5), L(r, 6), L(r, 7), drift, L(r, 9), hist));
        }

        return lines;
    }

    private static long L(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
}
