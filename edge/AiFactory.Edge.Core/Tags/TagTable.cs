using System.Collections.Concurrent;
using AiFactory.Edge.Core.Samples;

namespace AiFactory.Edge.Core.Tags;

/// <summary>
/// Applies each tag's definition to the samples the sources produce: converts to engineering units, checks the
/// valid range, counts NaN, out-of-range, decode errors and gaps per tag. Tags without a definition pass unchanged
/// (and are still counted). Called from the one thread that routes samples; counters may be read from any thread.
/// </summary>
public sealed class TagTable
{
    private volatile Dictionary<string, TagDefinition> _definitions;
    private readonly ConcurrentDictionary<string, TagQuality> _quality = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);

    public TagTable(IEnumerable<TagDefinition> definitions)
    {
        _definitions = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<TagDefinition> Definitions => _definitions.Values;

    /// <summary>Swaps in new definitions (a configuration reload); counters and gap tracking carry on.</summary>
    public void Replace(IEnumerable<TagDefinition> definitions) => _definitions = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public TagDefinition? Definition(string tag) => _definitions.GetValueOrDefault(tag);

    public TagQuality Quality(string tag) => _quality.GetOrAdd(tag, t => new TagQuality(t));

    public IReadOnlyList<TagQualitySnapshot> Snapshot(IEnumerable<string> tags) => tags.Select(t => Quality(t).Snapshot()).ToList();

    /// <summary>
    /// Converts and checks one sample in place; answers whether a frame may use it. A sample that may not be used
    /// (decode error, NaN, out of range) is counted on its tag and keeps its quality flag.
    /// </summary>
    public bool Apply(ref TagSample sample)
    {
        var definition = _definitions.GetValueOrDefault(sample.Tag);
        CountGaps(sample, definition);
        if (sample.Quality == SampleQuality.Bad || NotOfType(sample.Value, definition))
        {
            Quality(sample.Tag).CountDecodeError();
            sample = sample with { Quality = SampleQuality.Bad };
            return false;
        }

        var value = definition is null ? sample.Value : (sample.Value * definition.Scale) + definition.Offset;
        if (!double.IsFinite(value))
        {
            Quality(sample.Tag).CountNaN();
            sample = sample with { Value = double.NaN };
            return false;
        }

        if (sample.Quality == SampleQuality.OutOfRange || (definition is not null && (value < definition.Min || value > definition.Max)))
        {
            Quality(sample.Tag).CountOutOfRange();
            sample = sample with { Value = value, Quality = SampleQuality.OutOfRange };
            return false;
        }

        sample = sample with { Value = value };
        return true;
    }

    private static bool NotOfType(double raw, TagDefinition? definition) => definition?.Type switch
    {
        TagDataType.Int => double.IsFinite(raw) && raw != Math.Round(raw),
        TagDataType.Bool => double.IsFinite(raw) && raw is not (0 or 1),
        _ => false,
    };

    private void CountGaps(in TagSample sample, TagDefinition? definition)
    {
        if (definition?.Period is not { } period || period <= TimeSpan.Zero)
        {
            return;
        }

        if (_lastSeen.TryGetValue(sample.Tag, out var last))
        {
            var elapsed = sample.Timestamp - last;
            if (elapsed > period * 1.5)
            {
                Quality(sample.Tag).CountGaps((long)Math.Round(elapsed / period) - 1);
            }
        }

        if (!_lastSeen.TryGetValue(sample.Tag, out var previous) || sample.Timestamp > previous)
        {
            _lastSeen[sample.Tag] = sample.Timestamp;
        }
    }
}
