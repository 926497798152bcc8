using AiFactory.Edge.Config;
using AiFactory.Edge.Core.Frames;

namespace AiFactory.Edge.Live;

/// <summary>
/// The line's tag conditioners, by the address sources give their values and by tag name. A reload keeps the
/// conditioner (and its cumulative counters) of every tag whose definition did not change.
/// </summary>
public sealed class TagTable
{
    private readonly Dictionary<string, TagConditioner> _byAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TagConditioner> _byName = new(StringComparer.Ordinal);

    public TagTable(EdgeConfig config, TimeProvider time, TagTable? previous = null)
    {
        foreach (var station in config.Stations)
        {
            foreach (var name in station.FeatureTags.Values.Append(station.Frame.Trigger).OfType<string>())
            {
                if (_byName.ContainsKey(name))
                {
                    continue;
                }

                var definition = config.Tags.TryGetValue(name, out var declared) ? declared : new TagDefinition(name, "?", name, "float", null, new TagSpec(name));
                var conditioner = previous is not null && previous._byName.TryGetValue(name, out var old) && old.Spec == definition.Spec && previous.AddressOf(old) == definition.Address
                    ? old
                    : new TagConditioner(definition.Spec, time);
                _byName[name] = conditioner;
                _byAddress[definition.Address] = conditioner;
            }
        }
    }

    public IReadOnlyDictionary<string, TagConditioner> ByName => _byName;

    public bool TryGetByAddress(string address, out TagConditioner conditioner) => _byAddress.TryGetValue(address, out conditioner!);

    private string? AddressOf(TagConditioner conditioner)
    {
        foreach (var (address, c) in _byAddress)
        {
            if (ReferenceEquals(c, conditioner))
            {
                return address;
            }
        }

        return null;
    }
}
