using System.Collections.Concurrent;
using AiFactory.Hub.Queries;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Dashboard;

/// <summary>
/// What a line page shows that the grains do not hold, read from SQL: the plant's largest outbox backlog and the line's
/// data-quality problems per station in the last 15 minutes. Open pages share one read per plant (backlog) and per
/// line (quality) for half of <c>Hub:Dashboard:DetailsRefresh</c>, instead of two queries per page per refresh.
/// </summary>
public sealed class LineDetails(FleetQuery fleet, DashboardQueries queries, TimeProvider clock, IOptions<DashboardOptions> options)
{
    private readonly ConcurrentDictionary<(string, string), Read<long?>> _backlog = new();
    private readonly ConcurrentDictionary<MetricsScope, Read<IReadOnlyDictionary<string, long>>> _quality = new();

    /// <summary>The line's details, at most half a refresh old.</summary>
    public async Task<(long? Backlog, IReadOnlyDictionary<string, long> Quality)> ReadAsync(MetricsScope line)
    {
        var backlog = Shared(_backlog, (line.CompanyId, line.PlantId!), async () =>
        {
            var edges = await fleet.EdgesAsync(line.CompanyId, line.PlantId!, CancellationToken.None).ConfigureAwait(false);
            return edges.Count == 0 ? (long?)null : edges.Max(e => e.BacklogRecords);
        });
        var quality = Shared(_quality, line, () => queries.DataQualityAsync(line, clock.GetUtcNow().AddMinutes(-15), CancellationToken.None));
        return (await backlog.ConfigureAwait(false), await quality.ConfigureAwait(false));
    }

    /// <summary>The kept read if it is fresh and did not fail; a new one otherwise (the scopes are the tenancy's, so the maps stay bounded).</summary>
    private Task<T> Shared<TKey, T>(ConcurrentDictionary<TKey, Read<T>> reads, TKey key, Func<Task<T>> read)
        where TKey : notnull
    {
        var now = clock.GetTimestamp();
        var fresh = options.Value.DetailsRefresh / 2;
        if (reads.TryGetValue(key, out var kept) && !kept.Value.IsFaulted && !kept.Value.IsCanceled && clock.GetElapsedTime(kept.At, now) < fresh)
        {
            return kept.Value;
        }

        var task = read();
        reads[key] = new Read<T>(task, now);
        return task;
    }

    private readonly record struct Read<T>(Task<T> Value, long At);
}
