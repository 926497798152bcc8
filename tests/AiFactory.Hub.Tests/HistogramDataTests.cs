using System.Text.Json;
using AiFactory.Contracts;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Unit")]
public sealed class HistogramDataTests
{
    [Fact]
    public void JsonRoundTrip_KeepsEveryField()
    {
        var h = new MergeableHistogram([1.0, 2.0]);
        h.Record(0.5);
        h.Record(3);

        var json = JsonSerializer.Serialize(h.ToData(), AiFactoryJsonContext.Default.HistogramData);
        var back = MergeableHistogram.FromData(JsonSerializer.Deserialize(json, AiFactoryJsonContext.Default.HistogramData)!);

        Assert.Contains("\"counts\":[1,0,1]", json, StringComparison.Ordinal);
        Assert.Equal(h.Counts, back.Counts);
        Assert.Equal(3.5, back.Sum);
        Assert.Equal(0.5, back.Min);
        Assert.Equal(3, back.Max);
    }

    [Fact]
    public void FromData_CountMismatch_ThrowsNamingBothTotals()
    {
        var data = new HistogramData([1.0], [1L, 1L], 2, 3, 0, 2);

        var ex = Assert.Throws<ArgumentException>(() => MergeableHistogram.FromData(data));
        Assert.Contains("count is 3 but its buckets sum to 2", ex.Message, StringComparison.Ordinal);
    }
}
