using AiFactory.Contracts;

namespace AiFactory.Hub.Live;

/// <summary>
/// What one scope (a station, line, plant or company) did in one minute: the counters of the 1-minute SQL bucket
/// and its latency histogram, summed over models. Everything merges by addition, as in SQL.
/// </summary>
[GenerateSerializer]
public sealed class MinuteTotals
{
    [Id(0)]
    public long Frames { get; set; }

    [Id(1)]
    public long Pass { get; set; }

    [Id(2)]
    public long Fail { get; set; }

    [Id(3)]
    public long Anomalies { get; set; }

    /// <summary>Counts per bucket of <see cref="StandardHistograms.LatencyMsBounds"/>, the overflow bucket last.</summary>
    [Id(4)]
    public long[] Latency { get; set; } = new long[StandardHistograms.LatencyMsBounds.Count + 1];

    [Id(5)]
    public long LatencyCount { get; set; }

    [Id(6)]
    public double LatencySum { get; set; }

    [Id(7)]
    public double LatencyMin { get; set; } = double.PositiveInfinity;

    [Id(8)]
    public double LatencyMax { get; set; } = double.NegativeInfinity;

    /// <summary>Frames per predicted class.</summary>
    [Id(9)]
    public Dictionary<string, long> Classes { get; set; } = [];

    public void Add(StationWindowSummary s)
    {
        Frames += s.FramesScored;
        Pass += s.PassCount;
        Fail += s.FailCount;
        Anomalies += s.AnomalyCount;
        var h = s.LatencyMs;
        if (h.Count > 0)
        {
            AddLatency(h.Counts, h.Count, h.Sum, h.Min ?? double.PositiveInfinity, h.Max ?? double.NegativeInfinity);
        }

        foreach (var (name, count) in s.ClassCounts)
        {
            AddClass(name, count);
        }
    }

    public void Add(MinuteTotals other)
    {
        Frames += other.Frames;
        Pass += other.Pass;
        Fail += other.Fail;
        Anomalies += other.Anomalies;
        if (other.LatencyCount > 0)
        {
            AddLatency(other.Latency, other.LatencyCount, other.LatencySum, other.LatencyMin, other.LatencyMax);
        }

        foreach (var (name, count) in other.Classes)
        {
            AddClass(name, count);
        }
    }

    /// <summary>Adds one bucket's histogram as stored in SQL or sent by an edge.</summary>
    public void AddLatency(IReadOnlyList<long> counts, long count, double sum, double min, double max)
    {
        for (var i = 0; i < Latency.Length; i++)
        {
            Latency[i] += counts[i];
        }

        LatencyCount += count;
        LatencySum += sum;
        LatencyMin = Math.Min(LatencyMin, min);
        LatencyMax = Math.Max(LatencyMax, max);
    }

    public void AddClass(string name, long count)
    {
        if (count > 0)
        {
            Classes[name] = Classes.GetValueOrDefault(name) + count;
        }
    }

    public MinuteTotals Clone()
    {
        var copy = new MinuteTotals();
        copy.Add(this);
        return copy;
    }
}
