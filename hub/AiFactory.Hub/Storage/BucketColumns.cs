using AiFactory.Contracts;

namespace AiFactory.Hub.Storage;

/// <summary>
/// Column names of the per-bucket histogram counts: one column per bucket of <see cref="StandardHistograms"/>,
/// so an upsert can add counts in SQL on either database. Changing the standard bounds needs a new migration.
/// </summary>
public static class BucketColumns
{
    public static IReadOnlyList<string> Score { get; } =
        Enumerable.Range(0, StandardHistograms.ScoreBounds.Count + 1).Select(i => $"s{i:D2}").ToArray();

    public static IReadOnlyList<string> Latency { get; } =
        Enumerable.Range(0, StandardHistograms.LatencyMsBounds.Count + 1).Select(i => $"l{i:D2}").ToArray();

    /// <summary>The key columns shared by the bucket, class and quality tables.</summary>
    public static IReadOnlyList<string> Key { get; } =
        ["company_id", "plant_id", "line_id", "station_id", "granularity", "bucket_start", "model_name", "model_version"];
}
