using AiFactory.Edge.Replay;

namespace AiFactory.Edge.Tests;

[Trait("Category", "Unit")]
public sealed class FamilyCountsTests
{
    [Theory]
    [InlineData("valve1/3.csv", "valve1")]
    [InlineData("rotor/sub/5.csv", "rotor")]
    [InlineData("asset.csv", null)]
    public void FamilyOf_RelativePath_IsItsFirstFolder(string path, string? family) =>
        Assert.Equal(family, FamilyCounts.FamilyOf(path));

    [Fact]
    public void Add_FilesOfOneFolder_SumIntoOneFamilyInFirstSeenOrder()
    {
        var families = new FamilyCounts();

        families.Add("valve2/0.csv", Counts(tp: 3, fp: 1));
        families.Add("valve1/0.csv", Counts(tp: 2, fp: 0));
        families.Add("valve2/1.csv", Counts(tp: 4, fp: 2));
        families.Add("loose.csv", Counts(tp: 9, fp: 9));

        Assert.Equal(["valve2", "valve1"], families.Families.Select(f => f.Family));
        var (_, files, counts) = families.Families[0];
        Assert.Equal((2, 7L, 3L, 2L), (files, counts.TruePositives, counts.FalsePositives, counts.TrueNegatives));
    }

    /// <summary>TP true positives, FP false positives and one true negative per file.</summary>
    private static ConfusionCounts Counts(int tp, int fp)
    {
        var c = new ConfusionCounts();
        for (var i = 0; i < tp; i++)
        {
            c.Add(predicted: true, actual: true);
        }

        for (var i = 0; i < fp; i++)
        {
            c.Add(predicted: true, actual: false);
        }

        c.Add(predicted: false, actual: false);
        return c;
    }
}
