using AiFactory.Contracts;

namespace AiFactory.Hub.Tests;

[Trait("Category", "Unit")]
public sealed class MergeableHistogramTests
{
    private static readonly double[] Bounds = [1, 2, 4, 8];

    [Fact]
    public void Record_PlacesValuesInBucketsByUpperBound()
    {
        var h = new MergeableHistogram(Bounds);
        foreach (var v in new[] { 0.5, 1.0, 1.5, 3.0, 8.0, 9.0 })
        {
            h.Record(v);
        }

        Assert.Equal([2L, 1L, 1L, 1L, 1L], h.Counts);
        Assert.Equal(6, h.Count);
        Assert.Equal(23.0, h.Sum);
        Assert.Equal(0.5, h.Min);
        Assert.Equal(9.0, h.Max);
    }

    [Fact]
    public void Merge_AddsCountsSumsAndExtremes()
    {
        var a = new MergeableHistogram(Bounds);
        var b = new MergeableHistogram(Bounds);
        a.Record(0.5);
        a.Record(3);
        b.Record(7);
        b.Record(100);

        a.Merge(b);

        Assert.Equal([1L, 0L, 1L, 1L, 1L], a.Counts);
        Assert.Equal(4, a.Count);
        Assert.Equal(110.5, a.Sum);
        Assert.Equal(0.5, a.Min);
        Assert.Equal(100, a.Max);
    }

    [Fact]
    public void MergeWireForm_EqualsMergingTheRebuiltHistogram()
    {
        var a = new MergeableHistogram(Bounds);
        var b = new MergeableHistogram(Bounds);
        var c = new MergeableHistogram(Bounds);
        a.Record(0.5);
        b.Record(7);
        b.Record(100);

        c.Merge(a);
        c.Merge(b.ToData());
        c.Merge(new MergeableHistogram(Bounds).ToData());

        Assert.Equal([1L, 0L, 0L, 1L, 1L], c.Counts);
        Assert.Equal((3L, 107.5, 0.5, 100.0), (c.Count, c.Sum, c.Min, c.Max));
        Assert.Throws<ArgumentException>(() => c.Merge(new MergeableHistogram([1.0, 2, 4, 9]).ToData()));
    }

    [Fact]
    public void Merge_WithDifferentBounds_ThrowsNamingBounds()
    {
        var a = new MergeableHistogram(Bounds);
        var b = new MergeableHistogram([1.0, 2.0]);

        var ex = Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Contains("different bucket bounds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Percentile_InterpolatesInsideBucket()
    {
        var h = new MergeableHistogram([10.0, 20.0]);
        for (var i = 1; i <= 10; i++)
        {
            h.Record(10 + i);
        }

        // All ten values lie in (10, 20], min 11, max 20: the median interpolates halfway.
        Assert.Equal(15.5, h.Percentile(0.5), 9);
        Assert.Equal(20.0, h.Percentile(1.0), 9);
    }

    [Fact]
    public void Percentile_OnEmpty_IsNaN() => Assert.True(double.IsNaN(new MergeableHistogram(Bounds).Percentile(0.5)));

    [Fact]
    public void Record_NaN_ThrowsNamingValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MergeableHistogram(Bounds).Record(double.NaN));
        Assert.Equal("value", ex.ParamName);
        Assert.Contains("finite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnorderedBounds_ThrowsNamingBound()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MergeableHistogram([1.0, 1.0]));
        Assert.Contains("bound 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("strictly increasing", ex.Message, StringComparison.Ordinal);
    }
}
