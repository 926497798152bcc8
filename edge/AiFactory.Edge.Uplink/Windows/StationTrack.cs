using AiFactory.Contracts;

namespace AiFactory.Edge.Uplink.Windows;

/// <summary>A registered station: who it is, which classes pass, where its data-quality counters come from, and its open window.</summary>
internal sealed class StationTrack(StationIdentity identity, IReadOnlySet<string> passClasses, Func<IReadOnlyList<DataQualityCounters>>? quality)
{
    public StationIdentity Identity { get; } = identity;

    public IReadOnlySet<string> PassClasses { get; } = passClasses;

    public Func<IReadOnlyList<DataQualityCounters>>? Quality { get; } = quality;

    /// <summary>The cumulative counters per tag as read at the last window close.</summary>
    public Dictionary<string, DataQualityCounters> LastQuality { get; } = new(StringComparer.Ordinal);

    /// <summary>Accumulators of the open window; more than one when the model changed during it.</summary>
    public List<WindowAccumulator> Open { get; } = [];

    /// <summary>Results of calibration samples: no verdict, so in no summary.</summary>
    public long Calibration { get; set; }

    /// <summary>Results that carried an error instead of a verdict.</summary>
    public long NotScored { get; set; }

    /// <summary>Verdicts counted into window summaries (what the hub's framesScored adds up to once they arrive).</summary>
    public long Summarized { get; set; }

    public long Skipped => Calibration + NotScored;

    /// <summary>The tags of the station's raw rows when it opted in to raw upload; null when raw values stay in the plant.</summary>
    public IReadOnlyList<string>? RawTags { get; init; }

    /// <summary>Raw rows of the open window not yet cut into a chunk.</summary>
    public List<RawRow> RawRows { get; } = [];

    /// <summary>Raw chunks of the open window, cut when <see cref="RawRows"/> reached the chunk size.</summary>
    public List<StationRawChunk> RawChunks { get; } = [];
}
