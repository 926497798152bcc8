using System.Text.Json;
using AiFactory.Contracts;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Unit")]
public sealed class HistogramDataConverterTests
{
    [Fact]
    public void StandardHistogram_RoundTrips_AndSharesTheStandardBounds()
    {
        var h = StandardHistograms.NewScore();
        h.Record(0.3);
        h.Record(7);
        var json = JsonSerializer.Serialize(h.ToData(), AiFactoryJsonContext.Default.HistogramData);

        var back = JsonSerializer.Deserialize(json, AiFactoryJsonContext.Default.HistogramData)!;

        Assert.StartsWith("{\"bounds\":[0.01,0.02,", json, StringComparison.Ordinal);
        Assert.Contains("\"sum\":7.3,\"count\":2,\"min\":0.3,\"max\":7}", json, StringComparison.Ordinal);
        Assert.Same(StandardHistograms.ScoreBounds, back.Bounds);
        Assert.Equal(h.Counts, back.Counts);
        Assert.Equal((7.3, 2L, 0.3, 7.0), (back.Sum, back.Count, back.Min!.Value, back.Max!.Value));
    }

    [Fact]
    public void OtherBounds_ManyValues_NullsAndUnknownFields_AreReadAsSent()
    {
        var bounds = Enumerable.Range(1, 100).Select(i => i * 0.5).ToArray();
        var counts = Enumerable.Range(0, 101).Select(i => (long)i).ToArray();
        var json = $"{{\"extra\":{{\"a\":[1,2]}},\"bounds\":[{string.Join(',', bounds)}],\"counts\":[{string.Join(',', counts)}],\"sum\":0,\"count\":0,\"min\":null,\"max\":null}}";

        var back = JsonSerializer.Deserialize(json, AiFactoryJsonContext.Default.HistogramData)!;

        Assert.Equal(bounds, back.Bounds);
        Assert.Equal(counts, back.Counts);
        Assert.Null(back.Min);
        Assert.Null(back.Max);
        Assert.Equal(json[json.IndexOf("\"bounds\"", StringComparison.Ordinal)..], JsonSerializer.Serialize(back, AiFactoryJsonContext.Default.HistogramData)[1..]);
    }

    [Theory]
    [InlineData("{\"bounds\":\"x\"}", "bounds must be a JSON array")]
    [InlineData("{\"counts\":[1,\"2\"]}", "")]
    [InlineData("[1,2]", "must be a JSON object")]
    public void WrongShapes_AreJsonErrors(string json, string expected)
    {
        var ex = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, AiFactoryJsonContext.Default.HistogramData));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingArrays_ReadAsNull_ForTheValidatorToName()
    {
        var back = JsonSerializer.Deserialize("{\"sum\":1,\"count\":1}", AiFactoryJsonContext.Default.HistogramData)!;

        Assert.Null(back.Bounds);
        Assert.Null(back.Counts);
    }
}
