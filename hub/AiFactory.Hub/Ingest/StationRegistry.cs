using System.Collections.Concurrent;
using AiFactory.Hub.Tenancy;

namespace AiFactory.Hub.Ingest;

/// <summary>
/// Caches each plant's registered (line, station) pairs for ingest; a batch naming an unknown pair re-reads the
/// plant once before it is refused, so a station registered a moment ago is accepted at once on every replica.
/// </summary>
public sealed class StationRegistry(TenancyStore tenancy)
{
    private readonly ConcurrentDictionary<(string Company, string Plant), HashSet<(string Line, string Station)>> _plants = new();

    public async Task<ISet<(string Line, string Station)>> ForBatchAsync(string company, string plant, IEnumerable<(string Line, string Station)> named, CancellationToken ct)
    {
        if (_plants.TryGetValue((company, plant), out var known) && named.All(known.Contains))
        {
            return known;
        }

        var fresh = await tenancy.StationsOfPlantAsync(company, plant, ct).ConfigureAwait(false);
        _plants[(company, plant)] = fresh;
        return fresh;
    }
}
