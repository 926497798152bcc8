namespace AiFactory.Hub.Live;

/// <summary>
/// A child's push to its parent (station → line → plant → company): the child's whole totals of the minutes that
/// changed (absolute, so a report repeated or crossing a rebuild of the parent changes nothing twice), its new events,
/// and for a plant its edges online.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record ChildReport(
    [property: Id(0)] string ChildId,
    [property: Id(1)] IReadOnlyDictionary<long, MinuteTotals> Minutes,
    [property: Id(2)] IReadOnlyList<LiveEvent> Events,
    [property: Id(3)] int? EdgesOnline = null,
    [property: Id(4)] int? EdgesTotal = null);
