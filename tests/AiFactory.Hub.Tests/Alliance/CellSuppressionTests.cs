using AiFactory.Hub.Alliance;

namespace AiFactory.Hub.Tests.Alliance;

[Trait("Category", "Unit")]
public sealed class CellSuppressionTests
{
    private static readonly AllianceSettings Rules = new("a", "A");

    private static CellCandidate Cell(string? family, params (string Company, long Weight)[] c) =>
        new(family, c.Select(x => new Contribution(x.Company, 0.9, x.Weight)).ToList());

    private static (string, long)[] Companies(params string[] ids) => ids.Select(i => (i, 100L)).ToArray();

    [Fact]
    public void FourCompanies_AreSuppressed_FiveArePublished()
    {
        Assert.Equal([SuppressionReason.TooFewCompanies], CellSuppression.Decide(Rules, Cell(null, Companies("c1", "c2", "c3", "c4")), [], []));
        Assert.Equal([SuppressionReason.None], CellSuppression.Decide(Rules, Cell(null, Companies("c1", "c2", "c3", "c4", "c5")), [], []));
    }

    [Fact]
    public void CompanyAboveAQuarterOfTheWeight_IsDominant()
    {
        var dominant = Cell(null, ("c1", 401), ("c2", 400), ("c3", 400), ("c4", 200), ("c5", 200));
        var even = Cell(null, ("c1", 400), ("c2", 400), ("c3", 400), ("c4", 200), ("c5", 200));

        Assert.Equal([SuppressionReason.DominantContributor], CellSuppression.Decide(Rules, dominant, [], []));
        Assert.Equal([SuppressionReason.None], CellSuppression.Decide(Rules, even, [], []));
    }

    [Fact]
    public void OneSmallFamily_TakesItsSmallestSiblingWithIt_SoTheTotalCannotGiveItAway()
    {
        var total = Cell(null, Companies("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12"));
        var a = Cell("a", Companies("c1", "c2", "c3", "c4", "c5", "c6"));
        var b = Cell("b", Companies("c7", "c8", "c9", "c10", "c11"));
        var small = Cell("c", Companies("c12"));

        var reasons = CellSuppression.Decide(Rules, total, [a, b, small], null);

        Assert.Equal([SuppressionReason.None, SuppressionReason.None, SuppressionReason.Complementary, SuppressionReason.TooFewCompanies], reasons);
    }

    [Fact]
    public void SuppressedFamiliesThatAreSafeTogether_LeaveTheTotalPublished()
    {
        var total = Cell(null, Companies("c1", "c2", "c3", "c4", "c5", "c6"));
        var a = Cell("a", Companies("c1", "c2", "c3"));
        var b = Cell("b", Companies("c4", "c5"));
        var c = Cell("c", Companies("c6"));

        Assert.Equal(
            [SuppressionReason.None, SuppressionReason.TooFewCompanies, SuppressionReason.TooFewCompanies, SuppressionReason.TooFewCompanies],
            CellSuppression.Decide(Rules, total, [a, b, c], null));
        var onlyTwo = Cell(null, Companies("c1", "c2", "c3", "c4", "c5", "c6"));
        Assert.Equal(
            [SuppressionReason.None, SuppressionReason.TooFewCompanies, SuppressionReason.Complementary],
            CellSuppression.Decide(Rules, onlyTwo, [Cell("a", Companies("c1")), Cell("b", Companies("c2", "c3", "c4", "c5", "c6"))], null));
    }

    [Fact]
    public void SetOneCompanyAwayFromAReleasedSet_IsSuppressed_TheSameSetAndAFarOneAreNot()
    {
        IReadOnlySet<string> released = new HashSet<string> { "c1", "c2", "c3", "c4", "c5", "c6" };
        var without = Cell(null, Companies("c1", "c2", "c3", "c4", "c5"));
        var same = Cell(null, Companies("c1", "c2", "c3", "c4", "c5", "c6"));
        var far = Cell(null, Companies("c1", "c7", "c8", "c9", "c10", "c11"));

        Assert.Equal([SuppressionReason.Differencing], CellSuppression.Decide(Rules, without, [], [released]));
        Assert.Equal([SuppressionReason.None], CellSuppression.Decide(Rules, same, [], [released]));
        Assert.Equal([SuppressionReason.None], CellSuppression.Decide(Rules, far, [], [released]));
        Assert.Equal([SuppressionReason.None], CellSuppression.Decide(Rules, without, [], null));
    }

    [Fact]
    public void FamilyTooCloseToItsOwnTotal_IsSuppressed_WithinOneQuery()
    {
        var total = Cell(null, Companies("c1", "c2", "c3", "c4", "c5", "c6"));
        var a = Cell("a", Companies("c1", "c2", "c3", "c4", "c5"));
        var b = Cell("b", Companies("c2", "c3", "c4", "c5", "c6"));

        var reasons = CellSuppression.Decide(Rules, total, [a, b], []);

        Assert.Equal([SuppressionReason.None, SuppressionReason.Differencing, SuppressionReason.Differencing], reasons);
    }
}
