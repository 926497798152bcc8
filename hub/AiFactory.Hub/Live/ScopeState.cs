namespace AiFactory.Hub.Live;

/// <summary>A line's, plant's or company's last hour per child, its latest events and its registered children, as SQL holds them.</summary>
public sealed record ScopeState(IReadOnlyDictionary<string, KpiSeries> Children, IReadOnlyList<LiveEvent> Events, IReadOnlyList<string> Registered);
