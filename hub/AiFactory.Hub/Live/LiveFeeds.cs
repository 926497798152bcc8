using AiFactory.Hub.Queries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>
/// The live feeds of this process, one per scope and pace with views open here; a feed ends with its last view. The
/// API's streams want every change (pace zero); dashboard pages, which look at most every
/// <c>Hub:Dashboard:RenderInterval</c>, subscribe at that pace, so a scope grain with only pages open snapshots
/// itself for them that often instead of every push interval (issue 15's "50 open dashboards" benchmark).
/// </summary>
public sealed class LiveFeeds(IGrainFactory grains, IOptions<LiveOptions> options, ILogger<LiveFeed> log)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LiveFeed> _feeds = new(StringComparer.Ordinal);

    /// <summary>Opens a view of a line, plant or company (already checked against the caller's key) with every change.</summary>
    public LiveView Open(MetricsScope scope) => Open(scope, TimeSpan.Zero);

    /// <summary>Opens a view that needs a snapshot at most every <paramref name="interval"/> while the scope changes.</summary>
    public LiveView Open(MetricsScope scope, TimeSpan interval)
    {
        interval = interval > TimeSpan.Zero ? interval : TimeSpan.Zero;
        var key = ScopeKeys.Of(scope) + "@" + interval.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (!_feeds.TryGetValue(key, out var feed))
            {
                feed = new LiveFeed(Grain(scope), grains, options.Value.ObserverLease, interval, log);
                _feeds[key] = feed;
                feed.Start();
            }

            var reader = feed.Join(out var channel);
            return new LiveView(reader, () => Leave(key, feed, channel), () => feed.Latest);
        }
    }

    private void Leave(string key, LiveFeed feed, System.Threading.Channels.Channel<LiveSnapshot> channel)
    {
        lock (_gate)
        {
            if (feed.Leave(channel) > 0)
            {
                return;
            }

            _feeds.Remove(key);
        }

        _ = feed.StopAsync();
    }

    private ILiveScopeGrain Grain(MetricsScope scope) =>
        scope.LineId is not null ? grains.GetGrain<ILineGrain>(ScopeKeys.Of(scope))
        : scope.PlantId is not null ? grains.GetGrain<IPlantGrain>(ScopeKeys.Of(scope))
        : grains.GetGrain<ICompanyGrain>(scope.CompanyId);
}
