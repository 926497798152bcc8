using System.Data.Common;
using System.Globalization;
using AiFactory.Hub.Storage;

namespace AiFactory.Hub.Alliance;

/// <summary>Reads the lines of a process type with their sums over whole days, from the line-day roll-up.</summary>
public static class LineTotalsReader
{
    /// <param name="alliance">Only lines of the alliance's member companies (null: no such filter).</param>
    /// <param name="company">Only this company's lines (null: every company).</param>
    /// <param name="withLatency">Read the latency histogram too (only model latency needs it).</param>
    public static async Task<List<LineTotals>> ReadAsync(
        DbConnection c, DbTransaction? tx, string? alliance, string? company, string processType, long fromDay, long toDay, bool withLatency, CancellationToken ct)
    {
        var latency = withLatency ? ", " + string.Join(", ", BucketColumns.Latency.Select(x => $"SUM(d.{x})")) : string.Empty;
        var sql = $"""
            SELECT d.company_id, d.plant_id, d.line_id, lp.product_family, SUM(d.frames), SUM(d.pass_count), SUM(d.fail_count), SUM(d.anomalies){latency}
            FROM line_processes lp JOIN alliance_line_days d ON d.company_id = lp.company_id AND d.plant_id = lp.plant_id AND d.line_id = lp.line_id
            {(alliance is null ? string.Empty : "JOIN alliance_members m ON m.company_id = lp.company_id AND m.alliance_id = @a")}
            WHERE lp.process_type = @p AND d.day_start >= @f AND d.day_start < @t{(company is null ? string.Empty : " AND lp.company_id = @c")}
            GROUP BY d.company_id, d.plant_id, d.line_id, lp.product_family
            """;
        var args = new Dictionary<string, object?> { ["p"] = processType, ["f"] = fromDay, ["t"] = toDay };
        if (alliance is not null)
        {
            args["a"] = alliance;
        }

        if (company is not null)
        {
            args["c"] = company;
        }

        await using var cmd = Queries.MetricsQuery.Command(c, sql, args, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var lines = new List<LineTotals>();
        var width = BucketColumns.Latency.Count;
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var hist = new long[width];
            if (withLatency)
            {
                for (var i = 0; i < width; i++)
                {
                    hist[i] = L(r, 8 + i);
                }
            }

            lines.Add(new LineTotals(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), L(r, 4), L(r, 5), L(r, 6), L(r, 7), hist));
        }

        return lines;
    }

    private static long L(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
}
