using AiFactory.Hub.Live;
using AiFactory.Hub.Queries;

namespace AiFactory.Hub.Tests.Support;

/// <summary>Compares live KPIs with what SQL's metrics query says of the same minutes.</summary>
internal static class LiveAssert
{
    /// <summary>The minutes of a live window that ends with the snapshot's minute, as metrics query arguments.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(DateTimeOffset at, int minutes)
    {
        var minute = DateTimeOffset.FromUnixTimeSeconds(KpiSeries.MinuteOf(at));
        return (minute.AddMinutes(1 - minutes), minute.AddMinutes(1));
    }

    /// <param name="sql">SQL's metrics of the window.</param>
    /// <param name="live">The live window's KPIs.</param>
    /// <param name="scope">Names the scope and window in a failure.</param>
    /// <param name="hasFrames">Whether the window must hold frames (so the comparison proves something).</param>
    public static void EqualsSql(MetricsResponse sql, LiveKpi live, string scope, bool hasFrames = true)
    {
        var t = sql.Totals;
        Assert.True(!hasFrames || t.Frames > 0, $"{scope}: SQL has no frames in the window; the comparison would prove nothing");
        Assert.Equal((t.Frames, t.Pass, t.Fail, t.Anomalies), (live.Frames, live.Pass, live.Fail, live.Anomalies));
        Assert.Equal(t.FirstPassYield, live.FirstPassYield);
        Assert.Equal(t.AnomalyRate, live.AnomalyRate);
        Assert.Equal(t.ThroughputPerMinute, live.ThroughputPerMinute);
        Assert.Equal(t.LatencyP99Ms, live.LatencyP99Ms);
        Assert.Equal(sql.ClassCounts.OrderBy(p => p.Key, StringComparer.Ordinal), live.ClassCounts.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(sql.DefectRatePerClass.OrderBy(p => p.Key, StringComparer.Ordinal), live.DefectRatePerClass.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
