using AiFactory.Contracts;
using CsCheck;

namespace AiFactory.Hub.Tests;

/// <summary>
/// Merging histograms is associative and commutative and conserves every count: merged histograms equal the one
/// recording all their values. Values are multiples of 1/1024 below 2²⁰, so their sums are exact in a double and the
/// comparison can be exact too.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MergeableHistogramPropertyTests
{
    private static readonly Gen<double[]> Values = Gen.Int[-(1 << 20), 1 << 20].Select(n => n / 1024.0).Array[0, 40];

    [Fact]
    public void Merge_InAnyOrderAndGrouping_EqualsRecordingEveryValueOnce() =>
        Gen.Select(Values, Values, Values).Sample((a, b, c) =>
        {
            var all = Of([.. a, .. b, .. c]);
            var leftFirst = Of(a);
            leftFirst.Merge(Of(b));
            leftFirst.Merge(Of(c));
            var rightFirst = Of(b);
            rightFirst.Merge(Of(c));
            var grouped = Of(a);
            grouped.Merge(rightFirst);
            var reversed = Of(c);
            reversed.Merge(Of(b));
            reversed.Merge(Of(a));

            AssertSame(all, leftFirst);
            AssertSame(all, grouped);
            AssertSame(all, reversed);
            Assert.Equal(a.Length + b.Length + c.Length, all.Count);
            Assert.Equal(all.Count, all.Counts.Sum());
        }, iter: 500);

    [Fact]
    public void Merge_OfTheWireForm_EqualsMergeOfTheHistogram() =>
        Gen.Select(Values, Values).Sample((a, b) =>
        {
            var viaData = Of(a);
            viaData.Merge(Of(b).ToData());
            var direct = Of(a);
            direct.Merge(Of(b));

            AssertSame(direct, viaData);
            AssertSame(direct, MergeableHistogram.FromData(direct.ToData()));
        }, iter: 500);

    private static MergeableHistogram Of(double[] values)
    {
        var h = StandardHistograms.NewScore();
        foreach (var v in values)
        {
            h.Record(v);
        }

        return h;
    }

    private static void AssertSame(MergeableHistogram expected, MergeableHistogram actual)
    {
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal((expected.Count, expected.Sum, expected.Min, expected.Max), (actual.Count, actual.Sum, actual.Min, actual.Max));
    }
}
