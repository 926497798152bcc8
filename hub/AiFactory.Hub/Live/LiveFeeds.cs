using AiFactory.Hub.Queries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AiFactory.Hub.Live;

/// <summary>The live feeds of this process, one per scope with views open here; a feed ends with its last view.</summary>
public sealed class LiveFeeds(IGrainFactory grains, IOptions<LiveOptions> options, ILogger<LiveFeed> log)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LiveFeed> _feeds = new(StringComparer.Ordinal);

    /// <summary>Opens a view of a line, plant or company (already checked against the caller's key).</summary>
    public LiveView Open(MetricsScope scope)
    {
        var key = ScopeKeys.Of(scope);
        lock (_gate)
        {
            if (!_feeds.TryGetValue(key, out var feed))
            {
                feed = new LiveFeed(Grain(scope), grains, options.Value.ObserverLease, log);
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
