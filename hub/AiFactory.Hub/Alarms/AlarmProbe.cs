using AiFactory.Hub.Deployments;
using AiFactory.Hub.Live;
using AiFactory.Hub.Storage;
using Dapper;

namespace AiFactory.Hub.Alarms;

/// <summary>
/// Reads the value a rule watches: rates and yields from the live grains (the station's or line's last minute),
/// edges offline from the plant's grain, outbox backlog and data quality from SQL (what the edges last reported), input
/// drift from the company's deployment grain (the edges' latest model reports).
/// Edge rules watch the edges of the rule's plant: an edge is bound to a plant, not to a line.
/// </summary>
public sealed class AlarmProbe(IGrainFactory grains, HubDatabase database, TimeProvider time)
{
    /// <summary>The value now; null when there is nothing to judge (no frames in the minute).</summary>
    public async Task<double?> ReadAsync(AlarmRule rule, CancellationToken ct)
    {
        switch (rule.Kind)
        {
            case AlarmKind.AnomalyRate:
                return (await LastMinuteAsync(rule).ConfigureAwait(false)).AnomalyRate;
            case AlarmKind.FirstPassYield:
                return (await LastMinuteAsync(rule).ConfigureAwait(false)).FirstPassYield;
            case AlarmKind.EdgeOffline:
                var plant = await grains.GetGrain<IPlantGrain>(ScopeKeys.Of(new Queries.MetricsScope(rule.CompanyId, rule.PlantId))).SnapshotAsync().ConfigureAwait(false);
                return plant.EdgesTotal - plant.EdgesOnline;
            case AlarmKind.OutboxBacklog:
                await using (var c = await database.OpenAsync(ct).ConfigureAwait(false))
                {
                    return await c.ExecuteScalarAsync<long?>(
                        "SELECT MAX(backlog_records) FROM edges WHERE company_id = @c AND plant_id = @p", new { c = rule.CompanyId, p = rule.PlantId }).ConfigureAwait(false) ?? 0;
                }

            case AlarmKind.Drift:
                return await DriftAsync(rule).ConfigureAwait(false);
            default:
                return await DataQualityAsync(rule, ct).ConfigureAwait(false);
        }
    }

    private async Task<LiveKpi> LastMinuteAsync(AlarmRule rule) =>
        rule.StationId is not null
            ? (await grains.GetGrain<IStationGrain>(ScopeKeys.Of(rule.Scope)).KpisAsync().ConfigureAwait(false)).OneMinute
            : (await grains.GetGrain<ILineGrain>(ScopeKeys.Of(rule.Scope)).SnapshotAsync().ConfigureAwait(false)).Kpis.OneMinute;

    /// <summary>The largest PSI of any input of the scope's stations, from their edges' latest model reports; null before any has enough samples.</summary>
    private async Task<double?> DriftAsync(AlarmRule rule)
    {
        var line = $"{rule.PlantId}/{rule.LineId}/";
        var station = rule.StationId is null ? null : line + rule.StationId;
        double? worst = null;
        foreach (var report in await grains.GetGrain<IDeploymentGrain>(rule.CompanyId).ReportsAsync(null).ConfigureAwait(false))
        {
            if (station is null ? !report.Station.StartsWith(line, StringComparison.Ordinal) : report.Station != station)
            {
                continue;
            }

            if (StationDriftStore.Figure(report.Report) is { } psi && (worst is null || psi > worst))
            {
                worst = psi;
            }
        }

        return worst;
    }

    /// <summary>Problems in the current and the previous minute: a window that a minute's turn does not empty.</summary>
    private async Task<double> DataQualityAsync(AlarmRule rule, CancellationToken ct)
    {
        var station = rule.StationId is null ? string.Empty : " AND station_id = @s";
        var minute = KpiSeries.MinuteOf(time.GetUtcNow());
        await using var c = await database.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long?>(
            $"""
            SELECT CAST(SUM(stale + out_of_range + nan + gaps + decode_errors) AS BIGINT) FROM station_bucket_quality
            WHERE company_id = @c AND plant_id = @p AND line_id = @l{station} AND granularity = 60 AND bucket_start >= @previous AND bucket_start <= @minute
            """,
            new { c = rule.CompanyId, p = rule.PlantId, l = rule.LineId, s = rule.StationId, minute, previous = minute - 60 }).ConfigureAwait(false) ?? 0;
    }
}
