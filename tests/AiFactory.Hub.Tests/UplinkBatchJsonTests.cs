using System.Text.Json;
using AiFactory.Contracts;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Unit")]
public sealed class UplinkBatchJsonTests
{
    [Fact]
    public void JsonRoundTrip_KeepsSummaryCountsAndKey()
    {
        var hist = new MergeableHistogram([1.0]).ToData();
        var summary = new StationWindowSummary(
            "edge-1", "c1", "p1", "l1", "s1", "m", "3",
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(10),
            5, 4, 1, new Dictionary<string, long> { ["scratch"] = 1 }, 2, hist, hist,
            [new DataQualityCounters("temp", 1, 2, 3, 4, 5)]);
        var anomaly = new StationEvent("c1", "p1", "l1", "s1", DateTimeOffset.UnixEpoch, "anomaly", 0.9, null, "m", "3");
        var batch = new UplinkBatch(
            "edge-1", 7, 9, DateTimeOffset.UnixEpoch,
            [new UplinkRecord(7, summary, null), new UplinkRecord(9, null, anomaly)],
            new OutboxReport(3, 300, DateTimeOffset.UnixEpoch, 1, 0, 0));

        var json = JsonSerializer.Serialize(batch, AiFactoryJsonContext.Default.UplinkBatch);
        var back = JsonSerializer.Deserialize(json, AiFactoryJsonContext.Default.UplinkBatch)!;

        Assert.Contains("\"firstSequence\":7", json, StringComparison.Ordinal);
        Assert.Equal(9, back.LastSequence);
        Assert.Equal(5, back.Records[0].Summary!.FramesScored);
        Assert.Equal(1, back.Records[0].Summary!.ClassCounts["scratch"]);
        Assert.Equal(5, back.Records[0].Summary!.DataQuality[0].DecodeErrors);
        Assert.Null(back.Records[0].Event);
        Assert.Equal(9, back.Records[1].Sequence);
        Assert.Equal("anomaly", back.Records[1].Event!.Kind);
        Assert.Equal(300, back.Outbox.BacklogBytes);
    }
}
