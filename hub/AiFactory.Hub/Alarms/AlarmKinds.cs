namespace AiFactory.Hub.Alarms;

/// <summary>The wire names of <see cref="AlarmKind"/> and which side of the threshold is bad.</summary>
public static class AlarmKinds
{
    private static readonly Dictionary<string, AlarmKind> ByName = new(StringComparer.Ordinal)
    {
        ["anomaly-rate"] = AlarmKind.AnomalyRate,
        ["first-pass-yield"] = AlarmKind.FirstPassYield,
        ["edge-offline"] = AlarmKind.EdgeOffline,
        ["outbox-backlog"] = AlarmKind.OutboxBacklog,
        ["data-quality"] = AlarmKind.DataQuality,
        ["drift"] = AlarmKind.Drift,
    };

    public static string List => string.Join(", ", ByName.Keys);

    public static string Name(AlarmKind kind) => ByName.First(p => p.Value == kind).Key;

    public static bool TryParse(string? name, out AlarmKind kind) => ByName.TryGetValue(name ?? string.Empty, out kind);

    /// <summary>True when a value below the threshold is the bad side (first-pass yield); above for every other kind.</summary>
    public static bool BadBelow(AlarmKind kind) => kind == AlarmKind.FirstPassYield;

    /// <summary>True when the threshold is a fraction of frames (0–1).</summary>
    public static bool IsFraction(AlarmKind kind) => kind is AlarmKind.AnomalyRate or AlarmKind.FirstPassYield;

    /// <summary>True when the threshold is an index from 0 up, not a whole count (drift's PSI).</summary>
    public static bool IsIndex(AlarmKind kind) => kind == AlarmKind.Drift;
}
