namespace AiFactory.Hub.Live;

/// <summary>Builds a child's report to its parent from what changed since the last one, and puts it back if the push failed.</summary>
public static class ScopeReports
{
    /// <summary>The changed minutes (copies of their whole totals) and new events; null when nothing changed. Clears both sets.</summary>
    public static ChildReport? Take(string childId, KpiSeries series, HashSet<long> dirty, List<LiveEvent> newEvents, long oldest, int? edgesOnline = null, int? edgesTotal = null, bool force = false)
    {
        if (dirty.Count == 0 && newEvents.Count == 0 && !force)
        {
            return null;
        }

        var minutes = new Dictionary<long, MinuteTotals>(dirty.Count);
        foreach (var minute in dirty)
        {
            if (minute >= oldest)
            {
                minutes[minute] = series.Get(minute)?.Clone() ?? new MinuteTotals();
            }
        }

        var report = new ChildReport(childId, minutes, [.. newEvents], edgesOnline, edgesTotal);
        dirty.Clear();
        newEvents.Clear();
        return report;
    }

    public static void PutBack(ChildReport report, HashSet<long> dirty, List<LiveEvent> newEvents)
    {
        dirty.UnionWith(report.Minutes.Keys);
        newEvents.AddRange(report.Events);
    }
}
